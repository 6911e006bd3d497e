import type { Activation } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { keepNaN } from './nan.js';

// The activations of se-core (reference/functions.ts) as TF.js ops, each within about one
// float32 rounding of the float64 reference (the comments say where the obvious TF.js
// spelling would not), and their derivatives with TF.js' own conventions at the kinks
// (Relu's slope is 0 at 0, Relu6's is 1 on (0, 6]), for the fused kernel's backward pass.

/** act(z), NaN kept (PyTorch's relu and clamp propagate it). */
export function activation<T extends tf.Tensor>(z: T, name: Activation): T {
  switch (name) {
    case 'relu':
      return tf.relu(z);
    case 'relu6':
      // tfjs-backend-wasm's Relu6 (a clamp) returns 0 for NaN.
      return keepNaN(z, (t) => tf.relu6(t));
    case 'silu':
      return tf.mul(z, tf.sigmoid(z));
    case 'gelu':
      // The exact (erf) GELU: TF.js has no gelu op. tf.erf is the Abramowitz–Stegun 7.1.26
      // approximation (|error| ≤ 1.5e-7), the one place a backend's own erf shows through.
      return tf.mul(tf.mul(z, 0.5), tf.add(1, tf.erf(tf.mul(z, Math.SQRT1_2))));
    case 'hardswish':
      // x · relu6(x + 3) / 6, in PyTorch's order (dividing last keeps one rounding). A NaN z
      // stays NaN through the product whatever relu6 makes of it.
      return tf.div(tf.mul(z, tf.relu6(tf.add(z, 3))), 6);
  }
}

/** 1 where lower < z ≤ upper, else 0. */
function between(z: tf.Tensor2D, lower: number, upper: number): tf.Tensor2D {
  return tf.cast(
    tf.logicalAnd(tf.greater(z, lower), tf.lessEqual(z, upper)),
    'float32',
  ) as tf.Tensor2D;
}

/** d act(z) / dz, with TF.js' conventions at kinks. */
export function activationDerivative(z: tf.Tensor2D, name: Activation): tf.Tensor2D {
  switch (name) {
    case 'relu':
      return tf.step(z, 0);
    case 'relu6':
      return between(z, 0, 6);
    case 'silu': {
      const s = tf.sigmoid(z);
      return tf.add(s, tf.mul(z, tf.mul(s, tf.sub(1, s))));
    }
    case 'gelu': {
      // d/dz [z/2 · (1 + erf(z/√2))] = (1 + erf(z/√2))/2 + z · exp(−z²/2) / √(2π)
      const cdf = tf.mul(tf.add(1, tf.erf(tf.mul(z, Math.SQRT1_2))), 0.5);
      const pdf = tf.mul(tf.exp(tf.mul(tf.square(z), -0.5)), 1 / Math.sqrt(2 * Math.PI));
      return tf.add(cdf, tf.mul(z, pdf));
    }
    case 'hardswish': {
      // d/dz [z · relu6(z + 3) / 6] = (relu6(z + 3) + z · [0 < z + 3 ≤ 6]) / 6
      const shifted = tf.add(z, 3);
      return tf.div(tf.add(tf.relu6(shifted), tf.mul(z, between(shifted as tf.Tensor2D, 0, 6))), 6);
    }
  }
}
