import type { SESpec } from '../spec/types.js';
import { defineSESpec } from '../spec/validate.js';

/** What the network builders know about an SE block; everything else is the paper's block. */
export interface NetworkSEParams {
  readonly channels: number;
  readonly reducedChannels: number;
  readonly activation: 'relu' | 'silu';
  readonly gate: 'sigmoid' | 'pytorch-hardsigmoid';
}

/**
 * The ONE place the network builders construct an se-core SE spec (average squeeze, biases,
 * gain 1, as in timm `SEModule` and torchvision `SqueezeExcitation`). When the spec type
 * changes shape, only this function changes.
 */
export function networkSESpec(params: NetworkSEParams): SESpec {
  return defineSESpec({
    version: 1,
    channels: params.channels,
    reducedChannels: params.reducedChannels,
    squeeze: 'avg',
    activation: params.activation,
    // torchvision MobileNetV3 uses nn.Hardsigmoid: slope 1/6, never a framework's 0.2 default.
    gate:
      params.gate === 'sigmoid'
        ? { type: 'sigmoid' }
        : { type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 },
    bias: true,
  });
}
