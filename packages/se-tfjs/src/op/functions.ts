import type { Activation, Gate } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';

// The activations and gates of se-core (reference/functions.ts), as TF.js ops. Each is written
// to stay within about one float32 rounding of the float64 reference; the comments say where
// the obvious TF.js spelling would not.

/** The activation between the two fully connected layers. */
export function activation(z: tf.Tensor2D, name: Activation): tf.Tensor2D {
  switch (name) {
    case 'relu':
      return tf.relu(z);
    case 'relu6':
      return tf.relu6(z);
    case 'silu':
      return tf.mul(z, tf.sigmoid(z));
    case 'gelu':
      // The exact (erf) GELU: TF.js has no gelu op. tf.erf is the Abramowitz–Stegun 7.1.26
      // approximation (|error| ≤ 1.5e-7), the one place a backend's own erf shows through.
      return tf.mul(tf.mul(z, 0.5), tf.add(1, tf.erf(tf.mul(z, Math.SQRT1_2))));
    case 'hardswish':
      // x · relu6(x + 3) / 6, in PyTorch's order (dividing last keeps one rounding).
      return tf.div(tf.mul(z, tf.relu6(tf.add(z, 3))), 6);
  }
}

/**
 * The gate mapping excitation logits into [0, 1]. Hard-sigmoid uses the spec's alpha and
 * beta, never TF.js' 'hardSigmoid' activation (fixed at 0.2x + 0.5).
 */
export function gate(z: tf.Tensor2D, spec: Gate): tf.Tensor2D {
  if (spec.type === 'sigmoid') return tf.sigmoid(z);
  // clamp(alpha·z + beta) is computed as clamp((z + beta/alpha) · alpha): near the lower knee
  // (z ≈ −beta/alpha) the sum is exact in float32, whereas alpha·z + beta cancels and loses
  // most of its bits there. When 1/alpha is an integer (PyTorch's 1/6, ONNX's 0.2 = 1/5) we
  // divide by it, since alpha itself is not a float32 number.
  const { alpha, beta } = spec;
  const shifted: tf.Tensor2D = beta === 0 ? z : tf.add(z, beta / alpha);
  const reciprocal = 1 / alpha;
  const scaled: tf.Tensor2D = Number.isInteger(reciprocal)
    ? tf.div(shifted, reciprocal)
    : tf.mul(shifted, alpha);
  return tf.clipByValue(scaled, 0, 1);
}
