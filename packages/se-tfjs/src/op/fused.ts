import type { Layout } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { SE_KERNEL_NAME, toKernelAttrs } from '../kernels/attrs.js';
import { seKernelGradients, seResidualKernelGradients } from '../kernels/gradient.js';
import type { PreparedBlock } from './block.js';

/** What follows the addition of the shortcut in a residual unit. */
export type SEResidualActivation = 'relu' | 'identity';

/** The residual part of a fused call: y = act(x · e + shortcut). */
export interface FusedResidual {
  readonly shortcut: tf.Tensor4D;
  readonly activation: SEResidualActivation;
}

/**
 * Whether the op runs a fused kernel on `backend` (the active backend by default): true once
 * {@link registerSEKernels} has registered one for it.
 *
 * @example
 * ```ts
 * registerSEKernels();
 * hasFusedSEKernel('cpu');        // true
 * hasFusedSEKernel('tensorflow'); // false: tfjs-node runs the composed ops
 * ```
 */
export function hasFusedSEKernel(backend: string = tf.getBackend()): boolean {
  return tf.getKernel(SE_KERNEL_NAME, backend) !== undefined;
}

/**
 * The fused kernel, wrapped so TF.js can differentiate it: the forward pass is one kernel, the
 * backward pass the composed path's chain rule (kernels/gradient.ts). With `residual`, the
 * kernel's scale pass also adds the shortcut and applies the activation.
 */
export function runFused(
  x: tf.Tensor4D,
  prepared: PreparedBlock,
  layout: Layout,
  residual?: FusedResidual,
): tf.Tensor4D {
  const { keys } = prepared;
  return tf.tidy(() => {
    const weights = prepared.tensors();
    const attrs = toKernelAttrs(
      prepared.spec,
      layout,
      prepared.kernelLayout,
      residual?.activation ?? 'none',
    );
    const leading = residual ? ['x', 'shortcut'] : ['x'];
    const forward = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const save = args.pop() as tf.GradSaveFunc;
      const tensors = args as tf.Tensor[];
      const named: tf.NamedTensorMap = {};
      [...leading, ...keys].forEach((name, i) => {
        named[name] = tensors[i] as tf.Tensor;
      });
      const value = tf
        .engine()
        .runKernel(SE_KERNEL_NAME, named, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
      // The residual's backward pass reads the ReLU's mask off y.
      save(residual ? [...tensors, value] : tensors);
      return {
        value,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
          residual
            ? seResidualKernelGradients(dy as tf.Tensor4D, saved, keys, attrs)
            : seKernelGradients(dy as tf.Tensor4D, saved, keys, attrs),
      };
    });
    const inputs = residual ? [x, residual.shortcut] : [x];
    return forward(...inputs, ...keys.map((key) => weights[key] as tf.Tensor)) as tf.Tensor4D;
  });
}
