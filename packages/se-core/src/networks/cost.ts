import { SESpecError } from '../errors/index.js';
import { elementCount, stateDictSchema, type TensorRole } from './schema.js';
import type { NetworkDefinition, NetworkNode, Padding, Pair } from './types.js';

/** What one node of a network costs for ONE image. */
export interface NodeCost {
  readonly id: string;
  readonly op: NetworkNode['op'];
  /** Trainable parameters (weights, biases, BatchNorm's affine pair): what `model.parameters()` counts. */
  readonly parameters: number;
  /** Buffers that are not parameters: BatchNorm's running statistics and its batch counter. */
  readonly buffers: number;
  /** Multiply-adds of convolutions and fully connected layers (the SE block's two FCs included). */
  readonly multiplyAdds: number;
  /**
   * Elementwise work, one per value touched: BatchNorm, activations, residual adds, pooling
   * windows, and the SE block's pool (a sum) and scale (a multiply) over the whole feature map.
   */
  readonly elementwise: number;
  /** The node's output for one image: `[C, H, W]`, or `[features]` after global pooling. */
  readonly output: readonly number[];
}

/** Totals of {@link NodeCost} over a network, and the share of its SE blocks. */
export interface NetworkCost {
  readonly inputSize: Pair;
  readonly parameters: number;
  readonly buffers: number;
  readonly multiplyAdds: number;
  readonly elementwise: number;
  /** The same sums over the `se` nodes only. */
  readonly se: {
    readonly blocks: number;
    readonly parameters: number;
    readonly multiplyAdds: number;
    readonly elementwise: number;
  };
  readonly nodes: readonly NodeCost[];
}

const BUFFER_ROLES: ReadonlySet<TensorRole> = new Set([
  'bnRunningMean',
  'bnRunningVar',
  'bnNumBatchesTracked',
]);

/** PyTorch's output size of a sliding window (floor mode). */
function windowed(size: number, kernel: number, stride: number, before: number, after: number) {
  return Math.floor((size + before + after - kernel) / stride) + 1;
}

function spatial(
  node: NetworkNode,
  input: readonly number[],
  field: string,
  channels?: number,
): [number, number, number] {
  if (input.length !== 3)
    throw new SESpecError(field, 'a C×H×W feature map as input', `[${input.join(', ')}]`);
  const [c, h, w] = input as [number, number, number];
  if (channels !== undefined && channels !== c)
    throw new SESpecError(field, `${c} (the channels of ${node.inputs[0]})`, channels);
  return [c, h, w];
}

function windowOutput(
  node: NetworkNode,
  input: readonly number[],
  kernel: Pair,
  stride: Pair,
  padding: Padding,
  dilation: Pair,
  field: string,
): [number, number] {
  const [, h, w] = spatial(node, input, field);
  const out: [number, number] = [
    windowed(h, dilation[0] * (kernel[0] - 1) + 1, stride[0], padding[0], padding[2]),
    windowed(w, dilation[1] * (kernel[1] - 1) + 1, stride[1], padding[1], padding[3]),
  ];
  if (out[0] < 1 || out[1] < 1)
    throw new SESpecError(field, `an input large enough for a ${kernel.join('×')} window`, input);
  return out;
}

/** Output, multiply-adds and elementwise work of one node, given its inputs' outputs. */
function costOf(
  node: NetworkNode,
  inputs: readonly (readonly number[])[],
  field: string,
): Pick<NodeCost, 'output' | 'multiplyAdds' | 'elementwise'> {
  const first = inputs[0] ?? [];
  const size = elementCount(first);
  switch (node.op) {
    case 'input':
      return { output: first, multiplyAdds: 0, elementwise: 0 };
    case 'conv2d': {
      spatial(node, first, `${field}.inChannels`, node.inChannels);
      const [h, w] = windowOutput(
        node,
        first,
        node.kernel,
        node.stride,
        node.padding,
        node.dilation,
        field,
      );
      const perOutput = (node.inChannels / node.groups) * node.kernel[0] * node.kernel[1];
      return {
        output: [node.outChannels, h, w],
        multiplyAdds: node.outChannels * h * w * perOutput,
        elementwise: 0,
      };
    }
    case 'batchNorm':
      spatial(node, first, `${field}.channels`, node.channels);
      return { output: first, multiplyAdds: 0, elementwise: size };
    case 'se': {
      const [c, h, w] = spatial(node, first, `${field}.spec.channels`, node.spec.channels);
      // The networks carry timm / torchvision SE modules only (the state_dict schema refuses
      // other kinds), so the count is the two-FC excitation's.
      const { excitation } = node.spec;
      if (excitation.kind !== 'mlp')
        throw new SESpecError(`${field}.spec.excitation.kind`, '"mlp"', excitation.kind);
      const rd = excitation.reducedChannels;
      // pool: one add per value; scale: one multiply per value; act and gate on the vectors.
      return { output: first, multiplyAdds: 2 * c * rd, elementwise: 2 * c * h * w + rd + c };
    }
    case 'add': {
      const second = inputs[1] ?? [];
      if (second.join() !== first.join())
        throw new SESpecError(`${field}.inputs`, `two inputs of one shape [${first}]`, second);
      return { output: first, multiplyAdds: 0, elementwise: size };
    }
    case 'maxPool': {
      const [c] = spatial(node, first, field);
      const [h, w] = windowOutput(
        node,
        first,
        node.kernel,
        node.stride,
        node.padding,
        [1, 1],
        field,
      );
      return {
        output: [c, h, w],
        multiplyAdds: 0,
        elementwise: c * h * w * elementCount(node.kernel),
      };
    }
    case 'globalAvgPool': {
      const [c] = spatial(node, first, field);
      return { output: [c], multiplyAdds: 0, elementwise: size };
    }
    case 'linear':
      if (first.length !== 1 || first[0] !== node.inFeatures)
        throw new SESpecError(
          `${field}.inFeatures`,
          `the input's features [${first}]`,
          node.inFeatures,
        );
      return {
        output: [node.outFeatures],
        multiplyAdds: node.inFeatures * node.outFeatures,
        elementwise: 0,
      };
    case 'activation':
      return { output: first, multiplyAdds: 0, elementwise: size };
    case 'dropout':
    case 'stochasticDepth':
      return { output: first, multiplyAdds: 0, elementwise: 0 };
  }
}

function checkInputSize(inputSize: Pair): Pair {
  const ok =
    Array.isArray(inputSize) &&
    inputSize.length === 2 &&
    inputSize.every((v) => Number.isInteger(v) && v >= 1);
  if (!ok) throw new SESpecError('inputSize', '[height, width], integers >= 1', inputSize);
  return [inputSize[0], inputSize[1]];
}

/**
 * What a network costs for one image of `inputSize` (224×224 by default), counted from its
 * definition alone, without any ML runtime: parameters and buffers from the state_dict schema,
 * multiply-adds of every convolution and FC layer, elementwise work, per node and in total,
 * with the SE blocks' share. Multiply-adds are what papers call "FLOPs" (the SENet paper's
 * 3.86 GFLOPs for ResNet-50); batch N costs N times as much.
 *
 * @example
 * ```ts
 * const cost = networkCost(seResNet50());
 * cost.parameters;                    // 28088024
 * cost.multiplyAdds / 1e9;            // ≈ 4.09 (timm's ResNet-50, stride on the 3×3 conv)
 * cost.se.parameters / cost.parameters; // ≈ 0.09
 * ```
 */
export function networkCost(network: NetworkDefinition, inputSize: Pair = [224, 224]): NetworkCost {
  const [height, width] = checkInputSize(inputSize);
  const outputs = new Map<string, readonly number[]>();
  const weights = new Map<string, { parameters: number; buffers: number }>();
  for (const entry of stateDictSchema(network)) {
    const sums = weights.get(entry.node) ?? { parameters: 0, buffers: 0 };
    sums[BUFFER_ROLES.has(entry.role) ? 'buffers' : 'parameters'] += elementCount(entry.shape);
    weights.set(entry.node, sums);
  }
  const nodes = network.nodes.map((node, i): NodeCost => {
    const field = `network.nodes[${i}]`;
    const inputs = node.inputs.map((id) => {
      const shape = outputs.get(id);
      if (!shape) throw new SESpecError(`${field}.inputs`, 'ids of earlier nodes', id);
      return shape;
    });
    const cost = costOf(
      node,
      node.op === 'input' ? [[node.channels, height, width]] : inputs,
      field,
    );
    outputs.set(node.id, cost.output);
    return {
      id: node.id,
      op: node.op,
      ...(weights.get(node.id) ?? { parameters: 0, buffers: 0 }),
      ...cost,
    };
  });
  const sum = (
    list: readonly NodeCost[],
    key: 'parameters' | 'buffers' | 'multiplyAdds' | 'elementwise',
  ) => list.reduce((total, n) => total + n[key], 0);
  const se = nodes.filter((n) => n.op === 'se');
  return {
    inputSize: [height, width],
    parameters: sum(nodes, 'parameters'),
    buffers: sum(nodes, 'buffers'),
    multiplyAdds: sum(nodes, 'multiplyAdds'),
    elementwise: sum(nodes, 'elementwise'),
    se: {
      blocks: se.length,
      parameters: sum(se, 'parameters'),
      multiplyAdds: sum(se, 'multiplyAdds'),
      elementwise: sum(se, 'elementwise'),
    },
    nodes,
  };
}
