// @seblock/se-tfjs/networks: whole SE networks (se-core's network definitions) as trainable
// TF.js models, loading and exporting PyTorch state_dicts by name.
export { buildNetworkModel, type NetworkModelOptions } from './build-model.js';
export { type LoadNetworkFromUrlOptions, loadNetworkFromUrl } from './from-url.js';
export type { Pair } from './layers/pair.js';
export { registerNetworkLayers } from './layers/register.js';
export { StochasticDepth, type StochasticDepthArgs } from './layers/stochastic-depth.js';
export { TorchActivation, type TorchActivationArgs } from './layers/torch-activation.js';
export { TorchBatchNorm, type TorchBatchNormArgs } from './layers/torch-batch-norm.js';
export { TorchConv2d, type TorchConv2dArgs } from './layers/torch-conv2d.js';
export { TorchMaxPool2d, type TorchMaxPool2dArgs } from './layers/torch-max-pool.js';
export { exportPyTorchStateDict, loadPyTorchStateDict } from './state-dict.js';
