import * as tf from '@tensorflow/tfjs-core';
import { tfjsKind } from '../excitation/registry.js';
import { gate, gateDerivative } from '../math/gate.js';
import { perChannel, planeOf, squeeze, squeezeGradient, sumDescriptors } from '../math/squeeze.js';
import { kernelSpec, type SEKernelAttrs } from './attrs.js';

// The backward pass of the fused kernel, written out with TF.js ops: the chain rule of the
// composed path (op/se-block.ts) with the conventions TF.js' own gradients use at kinks (the
// kind's backward says its own; ClipByValue's slope is 1 on the closed interval, a max passes
// its gradient to every element equal to it). So training through the fused kernel gets the
// gradients the composed ops give. (TF.js cannot nest tf.grads inside a gradient function:
// the inner call replaces the outer tape. Hence the explicit derivatives.)

/**
 * Gradients of the fused kernel with respect to x and every weight, given dy, the kernel's
 * inputs (x, then the weights) and their weight keys.
 */
export function seKernelGradients(
  dy: tf.Tensor4D,
  saved: readonly tf.Tensor[],
  keys: readonly string[],
  attrs: SEKernelAttrs,
): tf.Tensor[] {
  const spec = kernelSpec(attrs);
  const { layout } = attrs;
  const x = saved[0] as tf.Tensor4D;
  const weights = Object.fromEntries(keys.map((key, i) => [key, saved[i + 1] as tf.Tensor]));
  const kind = tfjsKind(spec.excitation.kind);
  const ctx = {
    excitation: spec.excitation,
    channels: spec.channels,
    weights,
    kernelLayout: attrs.kernelLayout,
  };

  // Forward again (small except for the pooling), as the composed path computes it.
  const parts = squeeze(x, spec.squeeze, layout);
  const z = sumDescriptors(kind.logits(ctx, parts.rows), parts.depth);
  const e = tf.mul(gate(z, spec.gate), spec.gain);

  // Backward: y = x · e.
  const gE = tf.sum(tf.mul(dy, x), planeOf(x, layout).axes) as tf.Tensor2D;
  const gZ = tf.mul(tf.mul(gE, spec.gain), gateDerivative(z, spec.gate));
  // Every descriptor of a sample receives the gradient of the summed logits.
  const gLogits = parts.depth === 1 ? gZ : tf.concat(Array(parts.depth).fill(gZ), 0);
  const g = kind.backward(ctx, parts.rows, gLogits);
  const gX = tf.add(
    tf.mul(dy, perChannel(e, x, layout)),
    squeezeGradient(x, parts, g.descriptors, spec.squeeze, layout),
  );
  return [gX, ...keys.map((key) => g.weights[key] as tf.Tensor)];
}

/**
 * Gradients of the residual kernel, y = act(x · e + shortcut), with respect to x, the
 * shortcut and every weight, given dy, the kernel's inputs (x, shortcut, then the weights)
 * and y. TF.js' Relu gradient is dy · step(u) for u = x · e + shortcut; step(y) is the same
 * mask (y > 0 exactly where u > 0, NaN where u is), so y stands in for u.
 */
export function seResidualKernelGradients(
  dy: tf.Tensor4D,
  saved: readonly tf.Tensor[],
  keys: readonly string[],
  attrs: SEKernelAttrs,
): tf.Tensor[] {
  const [x, , ...rest] = saved;
  const y = rest.pop() as tf.Tensor4D;
  const gU: tf.Tensor4D = attrs.residual === 'relu' ? tf.mul(dy, tf.step(y)) : tf.clone(dy);
  const [gX, ...gWeights] = seKernelGradients(gU, [x as tf.Tensor, ...rest], keys, attrs);
  return [gX as tf.Tensor, gU, ...gWeights];
}
