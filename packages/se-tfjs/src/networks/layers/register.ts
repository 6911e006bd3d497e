import { serialization } from '@tensorflow/tfjs-core';
import { registerSEKernels } from '../../kernels/register.js';
import { registerSqueezeExcite } from '../../layer/register.js';
import { StochasticDepth } from './stochastic-depth.js';
import { TorchActivation } from './torch-activation.js';
import { TorchBatchNorm } from './torch-batch-norm.js';
import { TorchConv2d } from './torch-conv2d.js';
import { TorchMaxPool2d } from './torch-max-pool.js';

/**
 * Registers the network layers (and SqueezeExcite) with TF.js serialisation, so a saved
 * network model loads with `tf.loadLayersModel`, and the fused SE kernels, so the SE layers of
 * a model built or loaded through `@seblock/se-tfjs/networks` alone run them (that entry point
 * has no import side effects). Safe to call more than once; the network builders call it.
 *
 * @example
 * ```ts
 * registerNetworkLayers();
 * const model = await tfl.loadLayersModel(nodeFileSystem('/tmp/seresnet50'));
 * ```
 */
export function registerNetworkLayers(): void {
  registerSqueezeExcite();
  registerSEKernels();
  for (const cls of [
    TorchConv2d,
    TorchBatchNorm,
    TorchActivation,
    TorchMaxPool2d,
    StochasticDepth,
  ]) {
    serialization.registerClass(cls);
  }
}
