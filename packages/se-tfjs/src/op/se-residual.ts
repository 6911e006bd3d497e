import { SESpecError } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { checkShortcut } from '../validate.js';
import type { SEBlockInput } from './block.js';
import {
  type FusedResidual,
  hasFusedSEKernel,
  runFused,
  type SEResidualActivation,
} from './fused.js';
import { composed, prepare, type SEBlockOptions } from './se-block.js';

/** Options of {@link seResidualBlock}. */
export interface SEResidualOptions extends SEBlockOptions {
  /** What follows the addition: `'relu'` (default: SE-ResNet's residual unit) or `'identity'`. */
  readonly activation?: SEResidualActivation;
}

const ACTIVATIONS: readonly SEResidualActivation[] = ['relu', 'identity'];

/** The residual activation option, checked: ReLU unless told otherwise. */
export function checkResidualActivation(
  value: unknown,
  field = 'options.activation',
): SEResidualActivation {
  if (value === undefined) return 'relu';
  if (!(ACTIVATIONS as readonly unknown[]).includes(value)) {
    throw new SESpecError(field, '"relu" or "identity"', value);
  }
  return value as SEResidualActivation;
}

/**
 * An SE block followed by a residual addition and an activation, as in SE-ResNet's residual
 * unit: `y = act(seBlock(x) + shortcut)` with `act` ReLU (default) or the identity. With a
 * fused kernel (cpu, wasm, webgl, webgpu) the pool pass, the excitation and ONE pass that
 * scales, adds and activates replace the block's scale pass plus TF.js' Add and Relu (three
 * passes over the feature map): what the official Caffe release's `Axpy` layer fused.
 * Differentiable with respect to x, the shortcut and the weight tensors. NaN propagates as in
 * PyTorch (ReLU of NaN is NaN). Bad input throws a se-core error before any kernel runs.
 *
 * @param x The residual branch, float32 rank 4 (the SE block's input).
 * @param shortcut The identity or projection branch, float32, exactly x's shape.
 * @param block A se-core `{ spec, weights }` (typed arrays or tensors), as for {@link seBlock}.
 * @example
 * ```ts
 * const x = tf.randomNormal([1, 14, 14, 32]) as tf.Tensor4D;        // after the last BN
 * const shortcut = tf.randomNormal([1, 14, 14, 32]) as tf.Tensor4D; // the block's input
 * const y = seResidualBlock(x, shortcut, { spec, weights });        // relu(SE(x) + shortcut)
 * const z = seResidualBlock(x, shortcut, { spec, weights }, { activation: 'identity' });
 * ```
 */
export function seResidualBlock(
  x: tf.Tensor4D,
  shortcut: tf.Tensor4D,
  block: SEBlockInput,
  options: SEResidualOptions = {},
): tf.Tensor4D {
  const { layout, prepared } = prepare(x, block, options);
  checkShortcut(shortcut, x);
  const activation = checkResidualActivation(options?.activation);
  if (options?.fused !== false && hasFusedSEKernel()) {
    const residual: FusedResidual = { shortcut, activation };
    return runFused(x, prepared, layout, residual);
  }
  const { y, descriptors, logits, excitation } = composed(x, prepared, layout);
  tf.dispose([...descriptors, logits, excitation]);
  return tf.tidy(() => {
    const sum = tf.add<tf.Tensor4D>(y, shortcut);
    y.dispose();
    return activation === 'relu' ? tf.relu(sum) : sum;
  });
}
