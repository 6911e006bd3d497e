import {
  type Layout,
  parseSESpec,
  type SEBlock,
  type SESpecInput,
  type SqueezeMode,
} from '@seblock/se-core';
import type { FullyConnectedOp, SqueezeOp } from '../build/options.js';
import { decodeModel } from '../proto/decode.js';
import type { GraphIndex } from '../proto/graph-index.js';
import { blockName } from '../proto/names.js';
import type { NodeProto } from '../proto/onnx.js';
import { flattenedIndex, type ViewNode } from './graph-view.js';
import {
  type Matched,
  matchActivation,
  matchFullyConnected,
  matchGate,
  matchPool,
  producerOf,
  type Squeeze,
  scalarConstant,
  skipShapeOps,
} from './patterns.js';
import { snap } from './snap.js';

/** An SE block found in a model. */
export interface ExtractedSE {
  /**
   * The module prefix, from the FC1 weight's initializer name (`features.1.block.1`
   * for `features.1.block.1.fc1.weight`, as PyTorch's exporter keeps state_dict names),
   * else from the node name. Unique within the result; usable as a se-core bundle key.
   */
  readonly name: string;
  /** Spec and weights in se-core's canonical layout. */
  readonly block: SEBlock;
  readonly layout: Layout;
  /** The tensor the block reads (x) and the one it writes (y). */
  readonly input: string;
  readonly output: string;
  /** Names of the graph nodes the block is made of (a function call counts as one). */
  readonly nodes: readonly string[];
  /** How the block is written. */
  readonly form: {
    readonly fullyConnected: FullyConnectedOp;
    readonly squeezeOp: SqueezeOp;
    readonly asFunction: boolean;
  };
}

interface SqueezeMatch {
  readonly mode: SqueezeMode;
  readonly layout: Layout;
  readonly op: SqueezeOp;
  readonly input: string;
  readonly nodes: NodeProto[];
  readonly nchwFrom?: NodeProto | undefined;
}

/** avg, max, or avgmax as (avg + max) · 0.5 or avg · 0.5 + max · 0.5. */
function matchSqueeze(index: GraphIndex, tensor: string): SqueezeMatch | undefined {
  const nodes: NodeProto[] = [];
  const t = skipShapeOps(index, tensor, nodes);
  const pool = matchPool(index, t);
  if (pool)
    return {
      mode: pool.value.kind,
      layout: pool.value.layout,
      op: pool.value.op,
      input: pool.input,
      nodes: [...nodes, ...pool.nodes],
      nchwFrom: pool.value.nchwFrom,
    };
  const pair = (
    a: Matched<Squeeze> | undefined,
    b: Matched<Squeeze> | undefined,
    extra: NodeProto[],
  ) => {
    if (
      !a ||
      !b ||
      a.input !== b.input ||
      a.value.layout !== b.value.layout ||
      a.value.kind === b.value.kind
    )
      return undefined;
    return {
      mode: 'avgmax' as const,
      layout: a.value.layout,
      op: a.value.op,
      input: a.input,
      nodes: [...nodes, ...extra, ...a.nodes, ...b.nodes],
      nchwFrom: a.value.nchwFrom,
    };
  };
  const half = (node: NodeProto | undefined) => {
    if (!node) return undefined;
    const [a, b] = node.input ?? [];
    if (scalarConstant(index, b) === 0.5 && a) return a;
    if (scalarConstant(index, a) === 0.5 && b) return b;
    return undefined;
  };
  // Each side may pass through Flatten (the gemm/matmul forms of global pooling).
  const poolAt = (tensor: string | undefined) => {
    if (!tensor) return undefined;
    const through: NodeProto[] = [];
    const found = matchPool(index, skipShapeOps(index, tensor, through));
    return found && { ...found, nodes: [...through, ...found.nodes] };
  };
  const outerMul = producerOf(index, t, ['Mul']);
  const sumName = half(outerMul);
  const sum = sumName ? producerOf(index, sumName, ['Add']) : undefined;
  if (outerMul && sum) {
    const [a, b] = sum.input ?? [];
    return pair(poolAt(a), poolAt(b), [outerMul, sum]);
  }
  const add = producerOf(index, t, ['Add']);
  if (add) {
    const [a, b] = (add.input ?? []).map((i) => (i ? producerOf(index, i, ['Mul']) : undefined));
    const pa = half(a);
    const pb = half(b);
    if (a && b && pa && pb) return pair(poolAt(pa), poolAt(pb), [add, a, b]);
  }
  return undefined;
}

/** 'layer1.0.se.fc1.weight' → 'layer1.0.se'; 'x.se.fc.0.weight' → 'x.se'; undefined when not a module path. */
function moduleName(weightName: string): string | undefined {
  if (!weightName.endsWith('.weight')) return undefined;
  const parts = weightName.slice(0, -'.weight'.length).split('.');
  const last = parts.pop();
  if (last !== undefined && /^\d+$/.test(last)) parts.pop();
  return parts.length > 0 ? parts.join('.') : undefined;
}

function matchAt(
  index: GraphIndex,
  mul: NodeProto,
):
  | (Omit<ExtractedSE, 'name' | 'nodes' | 'form'> & {
      nodes: NodeProto[];
      weightName: string;
      fullyConnected: FullyConnectedOp;
      squeezeOp: SqueezeOp;
    })
  | undefined {
  const [a, b] = mul.input ?? [];
  for (const [x, e] of [
    [a, b],
    [b, a],
  ] as const) {
    if (!x || !e) continue;
    const nodes: NodeProto[] = [mul];
    let t = skipShapeOps(index, e, nodes);
    let gate = matchGate(index, t);
    let gain = 1;
    if (!gate) {
      // e = gain · gate(z)
      const gainNode = producerOf(index, t, ['Mul']);
      const [p, q] = gainNode?.input ?? [];
      const pv = scalarConstant(index, p);
      const qv = scalarConstant(index, q);
      const inner = qv !== undefined ? p : pv !== undefined ? q : undefined;
      if (!gainNode || !inner) continue;
      gain = snap((qv ?? pv) as number);
      nodes.push(gainNode);
      t = skipShapeOps(index, inner, nodes);
      gate = matchGate(index, t);
    }
    if (!gate) continue;
    const fc2 = matchFullyConnected(index, skipShapeOps(index, gate.input, nodes));
    const act = fc2 && matchActivation(index, fc2.input);
    const fc1 = act && matchFullyConnected(index, skipShapeOps(index, act.input, nodes));
    const squeeze = fc1 && matchSqueeze(index, fc1.input);
    // An NHWC block written with global pooling pools x transposed to NCHW.
    const transpose =
      squeeze?.input !== x && squeeze?.nchwFrom?.input?.[0] === x ? squeeze.nchwFrom : undefined;
    if (!fc2 || !act || !fc1 || !squeeze || (squeeze.input !== x && !transpose)) continue;
    const { inputs: channels, outputs: reduced } = fc1.value;
    if (fc2.value.inputs !== reduced || fc2.value.outputs !== channels) continue;
    // One bias flag for both layers: a missing one is an all-zero one.
    const bias = fc1.value.bias !== undefined || fc2.value.bias !== undefined;
    const input: SESpecInput = {
      version: 1,
      channels,
      reducedChannels: reduced,
      squeeze: squeeze.mode,
      activation: act.value,
      gate: gate.value,
      bias,
      gain,
    };
    let spec: ReturnType<typeof parseSESpec>;
    try {
      spec = parseSESpec(input);
    } catch {
      continue; // the shape of an SE block, but not one se-core can represent (e.g. reducedChannels > channels)
    }
    const weights = bias
      ? {
          fc1Weight: fc1.value.weight,
          fc1Bias: fc1.value.bias ?? new Float32Array(reduced),
          fc2Weight: fc2.value.weight,
          fc2Bias: fc2.value.bias ?? new Float32Array(channels),
        }
      : { fc1Weight: fc1.value.weight, fc2Weight: fc2.value.weight };
    return {
      block: { spec, weights },
      layout: transpose ? 'NHWC' : squeeze.layout,
      input: x,
      output: mul.output?.[0] ?? '',
      nodes: [
        ...nodes,
        ...gate.nodes,
        ...fc2.nodes,
        ...act.nodes,
        ...fc1.nodes,
        ...squeeze.nodes,
        ...(transpose ? [transpose] : []),
      ],
      weightName: fc1.value.weightName,
      fullyConnected: fc1.value.form,
      squeezeOp: squeeze.op,
    };
  }
  return undefined;
}

/**
 * Finds the SE blocks in an ONNX model and returns them as se-core blocks:
 * squeeze (GlobalAveragePool/GlobalMaxPool/ReduceMean/ReduceMax, or avg+max) →
 * FC (1×1 Conv, Gemm or MatMul+Add) → activation → FC → gate (Sigmoid,
 * HardSigmoid or its compositions) → optional gain → Mul with the block input.
 * Covers the forms PyTorch's exporter writes (torchvision MobileNetV3, biases shared
 * through Identity), the ones this package writes, and SqueezeExcite function calls.
 *
 * @example
 * ```ts
 * import { encodeSEBundle } from '@seblock/se-core';
 * const found = extractSE(mobilenetBytes);
 * found.map((f) => f.name);              // ['features.1.block.1', 'features.4.block.2', …]
 * const bundle = encodeSEBundle(new Map(found.map((f) => [f.name, f.block])));  // → se-tfjs
 * ```
 */
export function extractSE(modelBytes: Uint8Array): ExtractedSE[] {
  const model = decodeModel(modelBytes);
  const index = flattenedIndex(model);
  const found: ExtractedSE[] = [];
  const used = new Set<NodeProto>();
  const names = new Set<string>();
  for (const node of (index.graph.node ?? []) as ViewNode[]) {
    if (node.opType !== 'Mul' || (node.domain && node.domain !== 'ai.onnx') || used.has(node))
      continue;
    const match = matchAt(index, node);
    if (!match || match.nodes.some((n) => used.has(n))) continue;
    for (const n of match.nodes) used.add(n);
    const base = blockName(moduleName(match.weightName) ?? node.origin);
    let name = base;
    for (let i = 2; names.has(name); i++) name = `${base}_${i}`;
    names.add(name);
    const origins = [...new Set((match.nodes as ViewNode[]).map((n) => n.origin).filter(Boolean))];
    found.push({
      name,
      block: match.block,
      layout: match.layout,
      input: match.input,
      output: match.output,
      nodes: origins,
      form: {
        fullyConnected: match.fullyConnected,
        squeezeOp: match.squeezeOp,
        asFunction: (node as ViewNode).inFunction,
      },
    });
  }
  return found;
}

/**
 * {@link extractSE} as a map name → block, ready for se-core's `encodeSEBundle`.
 *
 * @example
 * ```ts
 * const bytes = encodeSEBundle(extractSEBundle(onnxBytes));  // safetensors for se-tfjs
 * ```
 */
export function extractSEBundle(modelBytes: Uint8Array): Map<string, SEBlock> {
  return new Map(extractSE(modelBytes).map((f) => [f.name, f.block]));
}
