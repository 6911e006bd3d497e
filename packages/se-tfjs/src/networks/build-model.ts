import { SESpecError } from '@seblock/se-core';
import type { NetworkDefinition, NetworkNode } from '@seblock/se-core/networks';
import {
  model as functionalModel,
  type LayersModel,
  layers,
  type SymbolicTensor,
  input as symbolicInput,
} from '@tensorflow/tfjs-layers';
import { SqueezeExcite } from '../layer/squeeze-excite.js';
import { SqueezeExciteResidual } from '../layer/squeeze-excite-residual.js';
import { type FusedResidualStep, planResidualFusion } from './fuse-residual.js';
import { registerNetworkLayers } from './layers/register.js';
import { StochasticDepth } from './layers/stochastic-depth.js';
import { TorchActivation } from './layers/torch-activation.js';
import { TorchBatchNorm } from './layers/torch-batch-norm.js';
import { TorchConv2d } from './layers/torch-conv2d.js';
import { TorchMaxPool2d } from './layers/torch-max-pool.js';

/** Options of {@link buildNetworkModel}. */
export interface NetworkModelOptions {
  /** Layout of the model's input: 'NHWC' (TF.js' own, default) or 'NCHW' (PyTorch's). */
  readonly inputLayout?: 'NHWC' | 'NCHW';
  /** Fixed input height and width; any size (`null`) by default. */
  readonly inputSize?: readonly [number, number];
  /**
   * Runs each SE block that feeds a residual addition (and the ReLU after it) as one
   * {@link SqueezeExciteResidual} layer: one fused kernel instead of the block, Add and ReLU.
   * Same weights under the same names either way. True by default.
   */
  readonly fuseSEResidual?: boolean;
}

type Layer = InstanceType<typeof layers.Layer>;

function layerFor(node: NetworkNode): Layer | undefined {
  const name = node.id;
  switch (node.op) {
    case 'conv2d':
      return new TorchConv2d({
        name,
        filters: node.outChannels,
        kernelSize: [...node.kernel],
        strides: [...node.stride],
        padding: [...node.padding],
        dilation: [...node.dilation],
        groups: node.groups,
        useBias: node.bias,
      });
    case 'batchNorm':
      return new TorchBatchNorm({ name, eps: node.eps, momentum: node.momentum });
    case 'activation':
      return new TorchActivation({ name, activation: node.activation });
    case 'se':
      return new SqueezeExcite({ name, spec: node.spec, layout: 'NHWC' });
    case 'add':
      return layers.add({ name });
    case 'maxPool':
      return new TorchMaxPool2d({
        name,
        poolSize: [...node.kernel],
        strides: [...node.stride],
        padding: [...node.padding],
      });
    case 'globalAvgPool':
      return layers.globalAveragePooling2d({ name, dataFormat: 'channelsLast' });
    case 'linear':
      return layers.dense({ name, units: node.outFeatures, useBias: node.bias });
    case 'dropout':
      return layers.dropout({ name, rate: node.rate });
    case 'stochasticDepth':
      return new StochasticDepth({ name, rate: node.rate });
    case 'input':
      return undefined;
  }
}

/** The SE node's layer, as act(SE(x) + shortcut), named by the SE node. */
function applyFused(
  step: FusedResidualStep,
  outputOf: (id: string) => SymbolicTensor,
): SymbolicTensor {
  const layer = new SqueezeExciteResidual({
    name: step.se.id,
    spec: step.se.spec,
    layout: 'NHWC',
    activation: step.activation,
  });
  return layer.apply([
    outputOf(step.se.inputs[0] as string),
    outputOf(step.shortcutId),
  ]) as SymbolicTensor;
}

/**
 * Builds a trainable `tf.LayersModel` from a se-core network definition: one layer per IR
 * node, named by the node's PyTorch module path (so {@link loadPyTorchStateDict} and
 * {@link exportPyTorchStateDict} map tensors by PyTorch name). NHWC inside; the SE blocks are
 * the package's {@link SqueezeExcite} layer, and where one feeds a residual addition (SE-ResNet,
 * SE-ResNeXt) the block, the addition and the ReLU after it are one {@link SqueezeExciteResidual}
 * (one fused kernel; `fuseSEResidual: false` keeps three layers). BatchNorm stays a layer
 * (trainable, exported exactly).
 * Weights start from TF.js initialisers: load a checkpoint for real numbers.
 *
 * @example
 * ```ts
 * import { seResNet50 } from '@seblock/se-core/networks';
 * const model = buildNetworkModel(seResNet50(), { inputLayout: 'NCHW' });
 * ```
 */
export function buildNetworkModel(
  network: NetworkDefinition,
  options: NetworkModelOptions = {},
): LayersModel {
  registerNetworkLayers();
  const layout = options.inputLayout ?? 'NHWC';
  if (layout !== 'NHWC' && layout !== 'NCHW') {
    throw new SESpecError('options.inputLayout', '"NHWC" or "NCHW"', layout);
  }
  if (options.fuseSEResidual !== undefined && typeof options.fuseSEResidual !== 'boolean') {
    throw new SESpecError('options.fuseSEResidual', 'a boolean', options.fuseSEResidual);
  }
  const first = network.nodes[0];
  if (first?.op !== 'input') throw new SESpecError('network.nodes[0]', 'the input node', first?.op);
  const [h, w] = options.inputSize ?? [null, null];
  const shape = layout === 'NHWC' ? [h, w, first.channels] : [first.channels, h, w];
  const input = symbolicInput({ shape, name: 'input' });
  const outputs = new Map<string, SymbolicTensor>();
  outputs.set(
    first.id,
    layout === 'NHWC'
      ? input
      : (layers.permute({ dims: [2, 3, 1], name: 'input.nhwc' }).apply(input) as SymbolicTensor),
  );
  const plan = options.fuseSEResidual === false ? undefined : planResidualFusion(network);
  const outputOf = (node: NetworkNode, id: string): SymbolicTensor => {
    const t = outputs.get(id);
    if (!t) throw new SESpecError(`network node ${node.id}.inputs`, 'ids of earlier nodes', id);
    return t;
  };
  for (const node of network.nodes.slice(1)) {
    // A fused SE waits for its addition (the shortcut may come later in the node order).
    if (plan?.deferred.has(node.id)) continue;
    const fused = plan?.atAdd.get(node.id);
    const folded = plan?.atActivation.get(node.id);
    if (fused) {
      outputs.set(
        node.id,
        applyFused(fused, (id) => outputOf(node, id)),
      );
    } else if (folded) {
      // The ReLU ran inside the fused layer applied at the addition.
      outputs.set(node.id, outputOf(node, folded.addId));
    } else {
      const inputs = node.inputs.map((id) => outputOf(node, id));
      const layer = layerFor(node) as Layer;
      outputs.set(
        node.id,
        layer.apply(inputs.length === 1 ? (inputs[0] as SymbolicTensor) : inputs) as SymbolicTensor,
      );
    }
  }
  const output = outputs.get(network.output);
  if (!output) throw new SESpecError('network.output', 'the id of a node', network.output);
  return functionalModel({ inputs: input, outputs: output, name: network.architecture });
}
