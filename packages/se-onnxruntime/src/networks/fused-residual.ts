import { attributes, intAttribute, intsAttribute, stringAttribute } from '../proto/attributes.js';
import { NameAllocator } from '../proto/names.js';
import { type ModelProto, type NodeProto, type TensorProto, toNumber } from '../proto/onnx.js';
import { int64Tensor, readFloatTensor, tensorDims } from '../proto/tensors.js';

// The SE scale, the residual Add and the ReLU as ONE pass on onnxruntime-node's CPU EP: the
// paper's Caffe release does this with its Axpy layer (y = s·x + shortcut). onnxruntime has no
// such op, but its blocked-layout (NCHWc) depthwise Conv computes act(w·x + b + sum) with the
// weight read at run time, not packed at load. So a depthwise 1×1 Conv whose weight IS the SE
// gate, whose input is the SE block's input x and whose sum is the shortcut, computes
// relu(gate·x + shortcut) in one pass over x and the shortcut.
//
// That Conv exists only in onnxruntime's internal 'com.microsoft.nchwc' domain, which its
// optimiser writes and which a saved, optimised model may contain (onnxruntime's offline
// optimisation). So the rewrite runs on onnxruntime's own optimised graph of the 'nchwc' scale
// form (options.ts), where each SE block ends in
//
//   E = nchwc:Upsample(gate)          the gate copied to x's H×W
//   v = Mul(x, E)                     the scale
//   y = nchwc:Conv(shortcut, 1, sum = v, activation)     identity shortcut, or
//   y = nchwc:Conv(x0, W, B, sum = v, activation)        projection shortcut (downsample)
//
// and becomes
//
//   w = Reshape(gate, [C, 1, 1, 1])
//   y = nchwc:Conv(x, w, sum = shortcut, group = C, activation)
//
// (a projection's Conv first writes the shortcut without its sum and activation). Why the gate
// can be the weight as it is: at 1×1 spatial size the blocked layout [N, C/B, 1, 1, B] of the
// gate is plain channel order, and so is the blocked layout [C/B, 1, 1, 1, B] of a depthwise
// 1×1 weight, whatever the block size B. A depthwise weight is shared by the batch, so with a
// batch of N the maps enter as one image of N·C channels (fuseScaleResidual, below).

const NCHWC = 'com.microsoft.nchwc';
/** Stands for the caller reading a graph output, among a tensor's readers. */
const OUTSIDE: NodeProto = { opType: '(graph output)' };

/** What {@link fuseScaleResidual} did. */
export interface FusedResidualResult {
  readonly model: ModelProto;
  /** SE blocks whose scale, residual Add and activation became one Conv. */
  readonly fused: number;
}

function isOp(node: NodeProto | undefined, opType: string, domain: string): node is NodeProto {
  return node !== undefined && node.opType === opType && (node.domain ?? '') === domain;
}

/** A plain 1×1, stride-1, unpadded, undilated kernel (or the attribute absent). */
function isPlainOneByOne(node: NodeProto): boolean {
  const ones = (v: number[] | undefined) => v === undefined || v.every((x) => x === 1);
  const zeros = (v: number[] | undefined) => v === undefined || v.every((x) => x === 0);
  const kernel = intsAttribute(node, 'kernel_shape');
  return (
    (kernel === undefined || (kernel.length === 2 && ones(kernel))) &&
    ones(intsAttribute(node, 'strides')) &&
    ones(intsAttribute(node, 'dilations')) &&
    zeros(intsAttribute(node, 'pads'))
  );
}

/**
 * Rewrites onnxruntime's NCHWc-optimised graph of a network with a fixed batch, built with the
 * 'nchwc' scale form, so every SE scale + residual Add + activation is one depthwise NCHWc
 * Conv (see the comment at the top of this file). Nodes that do not match the pattern exactly
 * are left as they are; `model` is edited in place and returned.
 */
export function fuseScaleResidual(model: ModelProto): FusedResidualResult {
  const graph = model.graph;
  const nodes = graph?.node ?? [];
  const batch = fixedBatch(model);
  if (!graph || batch === undefined) return { model, fused: 0 };
  const initializers = new Map<string, TensorProto>();
  for (const t of graph.initializer ?? []) if (t.name) initializers.set(t.name, t);
  const producers = new Map<string, NodeProto>();
  const readers = new Map<string, NodeProto[]>();
  const names = new NameAllocator(model);
  for (const n of nodes) {
    for (const o of n.output ?? []) producers.set(o, n);
    for (const i of n.input ?? []) if (i) readers.set(i, [...(readers.get(i) ?? []), n]);
  }
  // A graph output is read from outside: a map the rewrite would stop writing must not be one.
  for (const o of graph.output ?? [])
    if (o.name) readers.set(o.name, [...(readers.get(o.name) ?? []), OUTSIDE]);

  const shapes = new Map<string, string>();
  /** An int64 shape initializer, one per distinct shape. */
  const shape = (dims: readonly number[]) => {
    const key = dims.join('x');
    let name = shapes.get(key);
    if (!name) {
      name = names.fresh(`fused_residual/shape_${key}`);
      graph.initializer = [...(graph.initializer ?? []), int64Tensor(name, [4], [...dims])];
      shapes.set(key, name);
    }
    return name;
  };
  const reshape = (base: string, input: string, dims: readonly number[], output?: string) => {
    const out = output ?? names.fresh(`${base}_output`);
    const node: NodeProto = {
      name: names.fresh(base),
      opType: 'Reshape',
      input: [input, shape(dims)],
      output: [out],
    };
    return { node, out };
  };

  const replaced = new Map<NodeProto, NodeProto[]>();
  const removed = new Set<NodeProto>();
  for (const mul of nodes) {
    const match = matchBlock(mul, producers, readers, initializers);
    // A batch of several stacks its images along the channels (below), which needs the blocked
    // channels to be exactly C: a multiple of 16 is a whole number of blocks of any size.
    if (!match || (batch > 1 && match.channels % 16 !== 0)) continue;
    const { x, gate, upsample, conv, identity, channels, height, width } = match;
    const base = mul.name || (mul.output?.[0] as string);
    const activation = (conv.attribute ?? []).filter((a) =>
      ['activation', 'activation_params'].includes(a.name ?? ''),
    );
    let shortcut = conv.input?.[0] as string;
    const added: NodeProto[] = [];
    if (!identity) {
      // The projection writes the shortcut alone; the fused Conv adds it and activates.
      shortcut = names.fresh(`${base}/shortcut`);
      added.push({
        ...conv,
        input: (conv.input ?? []).slice(0, 3),
        output: [shortcut],
        attribute: (conv.attribute ?? []).filter((a) => !activation.includes(a)),
      });
    }
    // The gate, [N, C, 1, 1], as the depthwise weight of N·C channels. With N > 1 the maps go
    // in as one image of N·C channels: blocked [N, C/B, H, W, B] and [1, N·C/B, H, W, B] are
    // the same bytes, so these Reshapes move nothing, and image n's channels meet its own gates.
    const lanes = batch * channels;
    const weight = reshape(`${base}/fused_weight_reshape`, gate, [lanes, 1, 1, 1]);
    added.push(weight.node);
    const stacked = [1, lanes, height, width];
    const [xIn, shortcutIn] =
      batch === 1
        ? [x, shortcut]
        : [x, shortcut].map((t, i) => {
            const r = reshape(`${base}/fused_${i ? 'shortcut' : 'input'}_reshape`, t, stacked);
            added.push(r.node);
            return r.out;
          });
    const output = conv.output?.[0] as string;
    const fusedOut = batch === 1 ? output : names.fresh(`${base}/fused_residual_output`);
    added.push({
      name: names.fresh(`${base}/fused_residual`),
      opType: 'Conv',
      domain: NCHWC,
      input: [xIn as string, weight.out, '', shortcutIn as string],
      output: [fusedOut],
      attribute: [...attributes({ kernel_shape: [1, 1], group: lanes }), ...activation],
    });
    if (batch > 1)
      added.push(
        reshape(`${base}/fused_output_reshape`, fusedOut, [batch, channels, height, width], output)
          .node,
      );
    // Placed where the residual Conv was: every input (x, the gate, the shortcut) exists by then.
    replaced.set(conv, added);
    removed.add(mul).add(upsample);
  }
  graph.node = nodes.flatMap((n) => replaced.get(n) ?? (removed.has(n) ? [] : [n]));
  // The identity shortcuts' Conv weights lost their only reader: dropped, as onnxruntime would
  // (with a warning per tensor) when it loads the graph. Only what the rewrite stopped reading.
  const read = new Set([
    ...graph.node.flatMap((n) => n.input ?? []),
    ...(graph.output ?? []).map((o) => o.name ?? ''),
  ]);
  const unread = new Set(
    [...replaced.keys(), ...removed].flatMap((n) => n.input ?? []).filter((t) => !read.has(t)),
  );
  graph.initializer = (graph.initializer ?? []).filter((t) => !unread.has(t.name ?? ''));
  return { model, fused: replaced.size };
}

/** The batch (first dim) every graph input fixes to the same number, or undefined. */
function fixedBatch(model: ModelProto): number | undefined {
  const inits = new Set((model.graph?.initializer ?? []).map((t) => t.name));
  const inputs = (model.graph?.input ?? []).filter((v) => !inits.has(v.name));
  const batches = new Set(
    inputs.map((v) => {
      const first = v.type?.tensorType?.shape?.dim?.[0]?.dimValue;
      return first === undefined || first === null ? undefined : toNumber(first);
    }),
  );
  const [batch] = batches;
  return batches.size === 1 && batch !== undefined && batch >= 1 ? batch : undefined;
}

interface BlockMatch {
  readonly x: string;
  readonly gate: string;
  readonly upsample: NodeProto;
  readonly conv: NodeProto;
  readonly identity: boolean;
  readonly channels: number;
  /** x's H and W: the Upsample's scales, since the gate is 1×1. */
  readonly height: number;
  readonly width: number;
}

/** The SE scale + residual pattern around `mul`, checked exactly, or undefined. */
function matchBlock(
  mul: NodeProto,
  producers: ReadonlyMap<string, NodeProto>,
  readers: ReadonlyMap<string, readonly NodeProto[]>,
  initializers: ReadonlyMap<string, TensorProto>,
): BlockMatch | undefined {
  if (!isOp(mul, 'Mul', '') || mul.input?.length !== 2) return undefined;
  const at = mul.input.findIndex((t) => isOp(producers.get(t), 'Upsample', NCHWC));
  if (at < 0) return undefined;
  const expanded = mul.input[at] as string;
  const x = mul.input[1 - at] as string;
  const upsample = producers.get(expanded) as NodeProto;
  const scaled = mul.output?.[0];
  const gate = upsample.input?.[0];
  if (!scaled || !gate || readers.get(expanded)?.length !== 1) return undefined;
  const conv = readers.get(scaled);
  if (conv?.length !== 1 || !isOp(conv[0], 'Conv', NCHWC)) return undefined;
  const residual = conv[0];
  const inputs = residual.input ?? [];
  // The scaled map must be the Conv's sum (input 3) and nothing else of it.
  if (inputs[3] !== scaled || inputs.slice(0, 3).includes(scaled)) return undefined;
  const weight = initializers.get(inputs[1] ?? '');
  if (!weight) return undefined;
  const channels = tensorDims(weight)[0] as number;
  if (!(channels > 0)) return undefined;
  const scales = intsAttribute(upsample, 'scales');
  if (scales?.length !== 4 || scales[0] !== 1 || scales[1] !== 1) return undefined;
  const [height, width] = scales.slice(2) as [number, number];
  const identity = isIdentityConv(residual, weight, channels);
  return { x, gate, upsample, conv: residual, identity, channels, height, width };
}

/** A depthwise 1×1 Conv of weight 1 and no bias: the identity shortcut's, from options.ts. */
function isIdentityConv(conv: NodeProto, weight: TensorProto, channels: number): boolean {
  const dims = tensorDims(weight);
  if (dims.length !== 4 || dims.slice(1).some((d) => d !== 1)) return false;
  if (intAttribute(conv, 'group', 1) !== channels || !isPlainOneByOne(conv)) return false;
  const autoPad = stringAttribute(conv, 'auto_pad');
  if ((conv.input?.[2] ?? '') !== '' || (autoPad !== undefined && autoPad !== 'NOTSET'))
    return false;
  return readFloatTensor(weight, 'weight').every((w) => w === 1);
}
