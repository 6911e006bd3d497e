import { twoLayerKind } from './two-layer.js';

/** CBAM channel attention (se-core kind `cbam`); the layer's default: no biases (timm ChannelAttn). */
export const cbamTfjs = twoLayerKind('cbam', false);
