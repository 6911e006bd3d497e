import * as tf from '@tensorflow/tfjs-core';
import { activation, gate } from '../op/functions.js';
import { matMulExplicitB, weightGradient } from '../op/mat-mul.js';
import { type SEKernelAttrs, specFromAttrs } from './attrs.js';

// The backward pass of the fused kernel, written out with TF.js ops. It is the chain rule of
// the composed path (op/se-block.ts) step by step, with the same conventions TF.js' own
// gradients use at the kinks: Relu's derivative is 0 at 0, Relu6's is 1 on (0, 6],
// ClipByValue's is 1 on the closed interval, and a max passes its gradient to every element
// equal to it. So training through the fused kernel gets the gradients the composed ops give.
// (TF.js cannot nest tf.grads inside a gradient function: the inner call replaces the outer
// tape and clears it. Hence the explicit derivatives.)

/** d act(z) / dz, with TF.js' conventions at kinks. */
function activationDerivative(z: tf.Tensor2D, name: SEKernelAttrs['activation']): tf.Tensor2D {
  switch (name) {
    case 'relu':
      return tf.step(z, 0);
    case 'relu6':
      return tf.cast(tf.logicalAnd(tf.greater(z, 0), tf.lessEqual(z, 6)), 'float32') as tf.Tensor2D;
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
      const inside = tf.cast(
        tf.logicalAnd(tf.greater(shifted, 0), tf.lessEqual(shifted, 6)),
        'float32',
      );
      return tf.div(tf.add(tf.relu6(shifted), tf.mul(z, inside)), 6);
    }
  }
}

/** d gate(z) / dz, for gate() of op/functions.ts (hard-sigmoid via its shifted form). */
function gateDerivative(z: tf.Tensor2D, attrs: SEKernelAttrs): tf.Tensor2D {
  if (attrs.gateType === 'sigmoid') {
    const s = tf.sigmoid(z);
    return tf.mul(s, tf.sub(1, s));
  }
  const alpha = attrs.gateAlpha;
  const beta = attrs.gateBeta;
  // Same arithmetic as gate(): the clip's argument, then its slope.
  const shifted = beta === 0 ? z : tf.add(z, beta / alpha);
  const reciprocal = 1 / alpha;
  const scaled = Number.isInteger(reciprocal)
    ? tf.div(shifted, reciprocal)
    : tf.mul(shifted, alpha);
  const inside = tf.cast(
    tf.logicalAnd(tf.greaterEqual(scaled, 0), tf.lessEqual(scaled, 1)),
    'float32',
  );
  return Number.isInteger(reciprocal) ? tf.div(inside, reciprocal) : tf.mul(inside, alpha);
}

/**
 * Gradients of the fused kernel with respect to x and every weight, given dy and the kernel's
 * inputs (x, fc1, fc2, then the biases when the spec has them).
 */
export function seKernelGradients(
  dy: tf.Tensor4D,
  saved: readonly tf.Tensor[],
  attrs: SEKernelAttrs,
): tf.Tensor[] {
  const [x, fc1, fc2, fc1Bias, fc2Bias] = saved as [
    tf.Tensor4D,
    tf.Tensor2D,
    tf.Tensor2D,
    tf.Tensor1D?,
    tf.Tensor1D?,
  ];
  const nhwc = attrs.layout === 'NHWC';
  const axes = nhwc ? [1, 2] : [2, 3];
  const [n, c] = nhwc ? [x.shape[0], x.shape[3]] : [x.shape[0], x.shape[1]];
  const plane = nhwc ? x.shape[1] * x.shape[2] : x.shape[2] * x.shape[3];
  const perChannel = (t: tf.Tensor) => tf.reshape(t, nhwc ? [n, 1, 1, c] : [n, c, 1, 1]);
  const reduced = attrs.transposed ? fc1.shape[0] : fc1.shape[1];
  const spec = specFromAttrs(attrs, c, reduced);
  const t = attrs.transposed;

  // Forward again (small except for the pooling), as the composed path computes it.
  const avg = spec.squeeze !== 'max' ? (tf.div(tf.sum(x, axes), plane) as tf.Tensor2D) : undefined;
  const max = spec.squeeze !== 'avg' ? (tf.max(x, axes) as tf.Tensor2D) : undefined;
  const s: tf.Tensor2D =
    spec.squeeze === 'avg'
      ? (avg as tf.Tensor2D)
      : spec.squeeze === 'max'
        ? (max as tf.Tensor2D)
        : tf.add(tf.mul(avg as tf.Tensor2D, 0.5), tf.mul(max as tf.Tensor2D, 0.5));
  let z1: tf.Tensor2D = matMulExplicitB(s, fc1, t);
  if (fc1Bias) z1 = tf.add(z1, fc1Bias);
  const hidden = activation(z1, spec.activation);
  let z2: tf.Tensor2D = matMulExplicitB(hidden, fc2, t);
  if (fc2Bias) z2 = tf.add(z2, fc2Bias);
  let e = gate(z2, spec.gate);
  if (spec.gain !== 1) e = tf.mul(e, spec.gain);

  // Backward: y = x · e.
  const gE = tf.sum(tf.mul(dy, x), axes) as tf.Tensor2D;
  const gZ2 = tf.mul(tf.mul(gE, spec.gain), gateDerivative(z2, attrs));
  const gHidden = matMulExplicitB(gZ2, fc2, !t);
  const gFc2 = weightGradient(hidden, gZ2, t);
  const gZ1 = tf.mul(gHidden, activationDerivative(z1, spec.activation));
  const gS = matMulExplicitB(gZ1, fc1, !t);
  const gFc1 = weightGradient(s, gZ1, t);

  let gX: tf.Tensor = tf.mul(dy, perChannel(e));
  const half = spec.squeeze === 'avgmax' ? tf.mul(gS, 0.5) : gS;
  if (avg) gX = tf.add(gX, perChannel(tf.div(half, plane)));
  if (max) {
    const atMax = tf.cast(tf.equal(x, perChannel(max)), 'float32');
    gX = tf.add(gX, tf.mul(perChannel(half), atMax));
  }
  return [gX, gFc1, gFc2, ...(fc1Bias && fc2Bias ? [tf.sum(gZ1, 0), tf.sum(gZ2, 0)] : [])];
}
