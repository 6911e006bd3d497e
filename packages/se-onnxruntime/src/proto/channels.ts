import type { Layout } from '@seblock/se-core';
import { intAttribute } from './attributes.js';
import type { GraphIndex } from './graph-index.js';
import { isDefaultDomain } from './onnx.js';

/** What we learned about a tensor's channel axis, and how. */
export interface ChannelInfo {
  readonly channels: number | undefined;
  /** Rank when known (4 for the tensors SE can follow). */
  readonly rank: number | undefined;
  /** Human-readable provenance for error messages, e.g. 'weight of Conv "/conv1/Conv" [16, 3, 3, 3]'. */
  readonly via: string;
}

// Ops whose output has the channels (and rank) of their first non-constant input.
const PASS_THROUGH = new Set([
  'Relu',
  'LeakyRelu',
  'PRelu',
  'Elu',
  'Selu',
  'Celu',
  'Sigmoid',
  'HardSigmoid',
  'HardSwish',
  'Tanh',
  'Clip',
  'Softplus',
  'Mish',
  'Gelu',
  'Erf',
  'Identity',
  'Dropout',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Max',
  'Min',
  'Sum',
  'Neg',
  'Abs',
  'Sqrt',
  'Exp',
  'MaxPool',
  'AveragePool',
  'LpPool',
  'Pad',
  'Resize',
  'Upsample',
  'Cast',
  'DepthToSpace',
]);

const unknown = (via: string): ChannelInfo => ({ channels: undefined, rank: undefined, via });

/** What one tensor's answer needs: the answers for other tensors first, or nothing more. */
type Step = { readonly info: ChannelInfo } | { readonly needs: readonly string[] };

// Answers per graph index and layout. A tensor read twice (Concat(t, t), a residual's two
// sides) is walked once: without this, 40 Concat(t, t) nodes took 2^40 steps.
const answers = new WeakMap<GraphIndex, Record<Layout, Map<string, ChannelInfo>>>();

/**
 * Finds the channel count of a rank-4 activation without running shape
 * inference: from a declared shape (value_info, graph inputs/outputs) when there
 * is one, else by walking back to the layer that fixed it (Conv weights,
 * BatchNormalization scale, Concat of known parts). PyTorch's exporter writes no
 * value_info for intermediates, so the walk is what usually answers.
 *
 * The walk keeps its own stack (a chain of 100,000 Relu nodes cannot overflow the call
 * stack) and remembers every answer for this index, so any model costs time linear in its
 * nodes. A graph with a cycle (invalid ONNX) answers "unknown" where the cycle closes.
 */
export function inferChannels(index: GraphIndex, tensor: string, layout: Layout): ChannelInfo {
  let byLayout = answers.get(index);
  if (!byLayout) {
    byLayout = { NCHW: new Map(), NHWC: new Map() };
    answers.set(index, byLayout);
  }
  const known = byLayout[layout];
  const waiting = new Set<string>(); // tensors whose inputs are being answered: a cycle if met again
  const lookup = (t: string) =>
    known.get(t) ?? (waiting.has(t) ? unknown('a cycle in the graph') : undefined);
  const stack = [tensor];
  while (stack.length > 0) {
    const t = stack[stack.length - 1] as string;
    if (known.has(t)) {
      stack.pop();
      continue;
    }
    const step = channelStep(index, t, layout, lookup);
    if ('info' in step) {
      known.set(t, plausible(step.info));
      waiting.delete(t);
      stack.pop();
    } else {
      waiting.add(t);
      stack.push(...step.needs);
    }
  }
  return known.get(tensor) as ChannelInfo;
}

/** A channel count read from a malformed model (a weight dim of -2, 0 or 2^53 + 2) is no answer. */
function plausible(info: ChannelInfo): ChannelInfo {
  const c = info.channels;
  if (c === undefined || (Number.isSafeInteger(c) && c > 0)) return info;
  return { channels: undefined, rank: info.rank, via: `${info.via}: ${c} is not a channel count` };
}

/** One tensor's answer from its declared shape or its producer, given its inputs' answers. */
function channelStep(
  index: GraphIndex,
  tensor: string,
  layout: Layout,
  lookup: (tensor: string) => ChannelInfo | undefined,
): Step {
  const axis = layout === 'NCHW' ? 1 : 3;
  const declared = index.declaredShape(tensor);
  if (declared && declared.length > 0) {
    const c = declared[axis];
    const via = `declared shape [${declared.map((d) => d ?? '?').join(', ')}]`;
    if (declared.length === 4 && typeof c === 'number')
      return { info: { channels: c, rank: 4, via } };
    if (declared.length !== 4) return { info: { channels: undefined, rank: declared.length, via } };
  }
  const producer = index.producers.get(tensor);
  if (!producer)
    return {
      info: unknown(
        index.inputs.has(tensor) ? 'graph input without a fixed channel dim' : 'no producer',
      ),
    };
  const { node } = producer;
  const name = `${node.opType} "${node.name ?? ''}"`;
  const inputs = node.input ?? [];
  if (!isDefaultDomain(node.domain)) return { info: unknown(`custom op ${node.domain}::${name}`) };
  /** The answers for `tensors`, or the step that asks for the missing ones. */
  const answersFor = (tensors: readonly string[]): ChannelInfo[] | Step => {
    const found = tensors.map(lookup);
    const missing = tensors.filter((_, i) => found[i] === undefined);
    return missing.length > 0 ? { needs: [...new Set(missing)] } : (found as ChannelInfo[]);
  };
  switch (node.opType) {
    case 'Conv': {
      // ONNX Conv is channels-first: its output can only be followed in NCHW.
      const w = index.constantDims(inputs[1] ?? '');
      if (!w) return { info: unknown(`${name} with a non-constant weight`) };
      if (layout !== 'NCHW')
        return { info: { channels: undefined, rank: w.length, via: `${name} output is NCHW` } };
      return {
        info: { channels: w[0], rank: w.length, via: `weight of ${name} [${w.join(', ')}]` },
      };
    }
    case 'ConvTranspose': {
      const w = index.constantDims(inputs[1] ?? '');
      if (!w || layout !== 'NCHW') return { info: unknown(`${name}`) };
      return {
        info: {
          channels: (w[1] as number) * intAttribute(node, 'group', 1),
          rank: w.length,
          via: `weight of ${name} [${w.join(', ')}]`,
        },
      };
    }
    case 'BatchNormalization':
    case 'InstanceNormalization': {
      const found = answersFor([inputs[0] ?? '']);
      if (!Array.isArray(found)) return found;
      const upstream = found[0] as ChannelInfo;
      const scale = index.constantDims(inputs[1] ?? '');
      if (!scale) return { info: upstream };
      return {
        info: {
          channels: scale[0],
          rank: upstream.rank,
          via: `scale of ${name} [${scale.join(', ')}]`,
        },
      };
    }
    case 'Concat': {
      const parts = answersFor(inputs);
      if (!Array.isArray(parts)) return parts;
      const concatAxis = intAttribute(node, 'axis', 0);
      const rank = parts[0]?.rank;
      const normalised = rank !== undefined && concatAxis < 0 ? concatAxis + rank : concatAxis;
      if (normalised !== axis) return { info: parts[0] ?? unknown(name) };
      if (parts.some((p) => p.channels === undefined))
        return { info: unknown(`${name} of inputs with unknown channels`) };
      return {
        info: {
          channels: parts.reduce((a, p) => a + (p.channels as number), 0),
          rank,
          via: `${name} of ${parts.length} inputs`,
        },
      };
    }
    default: {
      if (!PASS_THROUGH.has(node.opType ?? ''))
        return { info: unknown(`${name} (op not followed)`) };
      const activation = inputs.find((i) => i && index.constant(i) === undefined);
      if (!activation) return { info: unknown(name) };
      const found = answersFor([activation]);
      return Array.isArray(found) ? { info: found[0] as ChannelInfo } : found;
    }
  }
}
