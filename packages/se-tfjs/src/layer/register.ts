import { serialization } from '@tensorflow/tfjs-core';
import { SqueezeExcite, type SqueezeExciteArgs } from './squeeze-excite.js';
import { SqueezeExciteResidual } from './squeeze-excite-residual.js';

/**
 * Registers {@link SqueezeExcite} and {@link SqueezeExciteResidual} with TF.js serialisation so
 * `tf.loadLayersModel` can rebuild models that contain them. Importing `@seblock/se-tfjs` does this already; call it yourself
 * when you import from `@seblock/se-tfjs/base`. Safe to call more than once.
 *
 * @example
 * ```ts
 * import { registerSqueezeExcite } from '@seblock/se-tfjs/base';
 * registerSqueezeExcite();
 * const model = await tf.loadLayersModel('indexeddb://my-se-model');
 * ```
 */
export function registerSqueezeExcite(): void {
  serialization.registerClass(SqueezeExcite);
  serialization.registerClass(SqueezeExciteResidual);
}

/**
 * Creates a {@link SqueezeExcite} layer, in the style of `tf.layers.dense(…)`.
 *
 * @example
 * ```ts
 * const se = squeezeExcite({ spec: { reducedChannels: 8, gate: { type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 } } });
 * const y = se.apply(tf.input({ shape: [28, 28, 32] }));
 * ```
 */
export function squeezeExcite(args: SqueezeExciteArgs = {}): SqueezeExcite {
  return new SqueezeExcite(args);
}
