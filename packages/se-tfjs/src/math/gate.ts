import type { Gate } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { keepNaN } from './nan.js';

// The gate of se-core (reference/functions.ts) as TF.js ops, and its derivative for the fused
// kernel's backward pass. Hard-sigmoid uses the spec's alpha and beta, never TF.js'
// 'hardSigmoid' activation (fixed at 0.2x + 0.5).

/**
 * clamp(alpha·z + beta) is computed as clamp((z + beta/alpha) · alpha): near the lower knee
 * (z ≈ −beta/alpha) the sum is exact in float32, whereas alpha·z + beta cancels and loses
 * most of its bits there. When 1/alpha is an integer (PyTorch's 1/6, ONNX's 0.2 = 1/5) we
 * divide by it, since alpha itself is not a float32 number. Returns the clamp's argument.
 */
function hardSigmoidArgument(z: tf.Tensor2D, alpha: number, beta: number): tf.Tensor2D {
  const shifted: tf.Tensor2D = beta === 0 ? z : tf.add(z, beta / alpha);
  const reciprocal = 1 / alpha;
  return Number.isInteger(reciprocal) ? tf.div(shifted, reciprocal) : tf.mul(shifted, alpha);
}

/** gate(z): the excitation logits mapped into [0, 1] (NaN stays NaN). */
export function gate(z: tf.Tensor2D, spec: Gate): tf.Tensor2D {
  // tfjs-backend-webgpu's Sigmoid gives 0 for NaN (exp(NaN) is not NaN there).
  if (spec.type === 'sigmoid') return keepNaN(z, (t) => tf.sigmoid(t));
  const argument = hardSigmoidArgument(z, spec.alpha, spec.beta);
  // tfjs-backend-wasm's ClipByValue returns the lower bound for NaN.
  return keepNaN(argument, (a) => tf.clipByValue(a, 0, 1));
}

/**
 * d gate(z) / dz with TF.js' convention at the knees (ClipByValue's slope is 1 on the closed
 * interval), on the same arithmetic as {@link gate}.
 */
export function gateDerivative(z: tf.Tensor2D, spec: Gate): tf.Tensor2D {
  if (spec.type === 'sigmoid') {
    const s = tf.sigmoid(z);
    return tf.mul(s, tf.sub(1, s));
  }
  const argument = hardSigmoidArgument(z, spec.alpha, spec.beta);
  const inside = tf.cast(
    tf.logicalAnd(tf.greaterEqual(argument, 0), tf.lessEqual(argument, 1)),
    'float32',
  );
  const reciprocal = 1 / spec.alpha;
  return Number.isInteger(reciprocal) ? tf.div(inside, reciprocal) : tf.mul(inside, spec.alpha);
}
