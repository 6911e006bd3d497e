import { twoLayerKind } from './two-layer.js';

/** The SE MLP of Hu et al. (se-core kind `mlp`); the layer's default: biases on. */
export const mlpTfjs = twoLayerKind('mlp', true);
