import type { Layout } from '@seblock/se-core';
import { intAttribute } from '../proto/attributes.js';
import type { GraphIndex } from '../proto/graph-index.js';

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

/**
 * Finds the channel count of a rank-4 activation without running shape
 * inference: from a declared shape (value_info, graph inputs/outputs) when there
 * is one, else by walking back to the layer that fixed it (Conv weights,
 * BatchNormalization scale, Concat of known parts). PyTorch's exporter writes no
 * value_info for intermediates, so the walk is what usually answers.
 */
export function inferChannels(
  index: GraphIndex,
  tensor: string,
  layout: Layout,
  depth = 0,
): ChannelInfo {
  const axis = layout === 'NCHW' ? 1 : 3;
  const declared = index.declaredShape(tensor);
  if (declared && declared.length > 0) {
    const c = declared[axis];
    if (declared.length === 4 && typeof c === 'number')
      return {
        channels: c,
        rank: 4,
        via: `declared shape [${declared.map((d) => d ?? '?').join(', ')}]`,
      };
    if (declared.length !== 4)
      return {
        channels: undefined,
        rank: declared.length,
        via: `declared shape [${declared.map((d) => d ?? '?').join(', ')}]`,
      };
  }
  const producer = index.producers.get(tensor);
  if (!producer)
    return unknown(
      index.inputs.has(tensor) ? 'graph input without a fixed channel dim' : 'no producer',
    );
  if (depth > 64) return unknown('too deep');
  const { node } = producer;
  const name = `${node.opType} "${node.name ?? ''}"`;
  const inputs = node.input ?? [];
  if (node.domain && node.domain !== 'ai.onnx') return unknown(`custom op ${node.domain}::${name}`);
  switch (node.opType) {
    case 'Conv': {
      // ONNX Conv is channels-first: its output can only be followed in NCHW.
      const w = index.constantDims(inputs[1] ?? '');
      if (!w) return unknown(`${name} with a non-constant weight`);
      if (layout !== 'NCHW')
        return { channels: undefined, rank: w.length, via: `${name} output is NCHW` };
      return { channels: w[0], rank: w.length, via: `weight of ${name} [${w.join(', ')}]` };
    }
    case 'ConvTranspose': {
      const w = index.constantDims(inputs[1] ?? '');
      if (!w || layout !== 'NCHW') return unknown(`${name}`);
      return {
        channels: (w[1] as number) * intAttribute(node, 'group', 1),
        rank: w.length,
        via: `weight of ${name} [${w.join(', ')}]`,
      };
    }
    case 'BatchNormalization':
    case 'InstanceNormalization': {
      const scale = index.constantDims(inputs[1] ?? '');
      const upstream = inferChannels(index, inputs[0] ?? '', layout, depth + 1);
      if (!scale) return upstream;
      return {
        channels: scale[0],
        rank: upstream.rank,
        via: `scale of ${name} [${scale.join(', ')}]`,
      };
    }
    case 'Concat': {
      const concatAxis = intAttribute(node, 'axis', 0);
      const parts = inputs.map((i) => inferChannels(index, i, layout, depth + 1));
      const rank = parts[0]?.rank;
      const normalised = rank !== undefined && concatAxis < 0 ? concatAxis + rank : concatAxis;
      if (normalised !== axis) return parts[0] ?? unknown(name);
      if (parts.some((p) => p.channels === undefined))
        return unknown(`${name} of inputs with unknown channels`);
      return {
        channels: parts.reduce((a, p) => a + (p.channels as number), 0),
        rank,
        via: `${name} of ${parts.length} inputs`,
      };
    }
    default: {
      if (!PASS_THROUGH.has(node.opType ?? '')) return unknown(`${name} (op not followed)`);
      const activation = inputs.find((i) => i && index.constant(i) === undefined);
      return activation ? inferChannels(index, activation, layout, depth + 1) : unknown(name);
    }
  }
}
