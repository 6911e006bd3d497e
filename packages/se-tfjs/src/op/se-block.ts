import type { Layout, SESpec } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { SE_KERNEL_NAME, toKernelAttrs } from '../kernels/attrs.js';
import { seKernelGradients } from '../kernels/gradient.js';
import { checkActivation, checkLayout } from '../validate.js';
import { type PreparedBlock, prepareBlock, type SEBlockInput } from './block.js';
import { activation, gate } from './functions.js';
import { denseProduct } from './mat-mul.js';

/** Options of {@link seBlock}. */
export interface SEBlockOptions {
  /** Axis order of `x`: 'NHWC' (default, TF.js' convention) or 'NCHW' (PyTorch's). */
  readonly layout?: Layout;
  /**
   * Use the fused kernel when the active backend has one (default true): one kernel for
   * pool, MLP and scale instead of about ten ops (see {@link registerSEKernels}). `false`
   * forces the composed TF.js ops, e.g. to compare the two.
   */
  readonly fused?: boolean;
}

/**
 * Whether {@link seBlock} runs a fused kernel on `backend` (the active backend by default):
 * true once {@link registerSEKernels} has registered one for it.
 *
 * @example
 * ```ts
 * registerSEKernels();
 * hasFusedSEKernel('cpu');   // true
 * hasFusedSEKernel('webgl'); // false in this release
 * ```
 */
export function hasFusedSEKernel(backend: string = tf.getBackend()): boolean {
  return tf.getKernel(SE_KERNEL_NAME, backend) !== undefined;
}

/** The output of an SE block and its intermediates (see {@link seBlockDetailed}). */
export interface SEBlockResult {
  /** The block output, same shape and layout as x. */
  readonly y: tf.Tensor4D;
  /** The squeezed descriptor s, [N, C]. */
  readonly squeeze: tf.Tensor2D;
  /** The channel weights e = gain · gate(…), [N, C]. */
  readonly excitation: tf.Tensor2D;
}

/** Global pooling over H×W: [N, C]. */
export function squeezeOp(x: tf.Tensor4D, mode: SESpec['squeeze'], layout: Layout): tf.Tensor2D {
  const axes = layout === 'NHWC' ? [1, 2] : [2, 3];
  const plane = layout === 'NHWC' ? x.shape[1] * x.shape[2] : x.shape[2] * x.shape[3];
  // sum / (H·W) rather than tf.mean: the cpu and wasm Mean kernels divide every element first
  // (one extra rounding each, and an extra pass over x); one division of the sum is closer to
  // the reference's sum / plane.
  const avg = () => tf.div(tf.sum(x, axes), plane) as tf.Tensor2D;
  const max = () => tf.max(x, axes) as tf.Tensor2D;
  if (mode === 'avg') return avg();
  if (mode === 'max') return max();
  // timm add_maxpool: 0.5·avg + 0.5·max (halving is exact).
  return tf.add(tf.mul(avg(), 0.5), tf.mul(max(), 0.5));
}

/** The excitation MLP: gain · gate(W2 · act(W1 · s + b1) + b2), [N, C]. */
export function excitationOp(
  s: tf.Tensor2D,
  spec: SESpec,
  weights: ReturnType<PreparedBlock['tensors']>,
): tf.Tensor2D {
  const { fc1, fc2, fc1Bias, fc2Bias, transposed } = weights;
  let hidden: tf.Tensor2D = denseProduct(s, fc1, transposed);
  if (fc1Bias) hidden = tf.add(hidden, fc1Bias);
  hidden = activation(hidden, spec.activation);
  let logits: tf.Tensor2D = denseProduct(hidden, fc2, transposed);
  if (fc2Bias) logits = tf.add(logits, fc2Bias);
  const e = gate(logits, spec.gate);
  return spec.gain === 1 ? e : tf.mul(e, spec.gain);
}

/**
 * The fused kernel, wrapped so TF.js can differentiate it: the forward pass is one kernel, the
 * backward pass the composed path's chain rule (kernels/gradient.ts).
 */
function runFused(x: tf.Tensor4D, prepared: PreparedBlock, layout: Layout): tf.Tensor4D {
  return tf.tidy(() => {
    const { fc1, fc2, fc1Bias, fc2Bias, transposed } = prepared.tensors();
    const attrs = toKernelAttrs(prepared.spec, layout, transposed);
    const inputs: tf.Tensor[] = [x, fc1, fc2, ...(fc1Bias && fc2Bias ? [fc1Bias, fc2Bias] : [])];
    const forward = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const save = args.pop() as tf.GradSaveFunc;
      const tensors = args as tf.Tensor[];
      const [xT, w1, w2, b1, b2] = tensors;
      const named = { x: xT, fc1: w1, fc2: w2, ...(b1 && b2 ? { fc1Bias: b1, fc2Bias: b2 } : {}) };
      const value = tf
        .engine()
        .runKernel(
          SE_KERNEL_NAME,
          named as unknown as tf.NamedTensorMap,
          attrs as unknown as tf.NamedAttrMap,
        ) as tf.Tensor4D;
      save(tensors);
      return {
        value,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
          seKernelGradients(dy as tf.Tensor4D, saved, attrs),
      };
    });
    return forward(...inputs) as tf.Tensor4D;
  });
}

function run(x: tf.Tensor4D, block: SEBlockInput, options: SEBlockOptions): SEBlockResult {
  const layout = checkLayout(options?.layout);
  const prepared = prepareBlock(block);
  checkActivation(x, prepared.spec, layout);
  const [y, s, e] = tf.tidy(() => {
    const s = squeezeOp(x, prepared.spec.squeeze, layout);
    const e = excitationOp(s, prepared.spec, prepared.tensors());
    const [n, c] = e.shape;
    const y = tf.mul(
      x,
      tf.reshape(e, layout === 'NHWC' ? [n, 1, 1, c] : [n, c, 1, 1]),
    ) as tf.Tensor4D;
    return [y, s, e];
  });
  return { y: y as tf.Tensor4D, squeeze: s as tf.Tensor2D, excitation: e as tf.Tensor2D };
}

/**
 * A Squeeze-and-Excitation block as a TF.js op: `y = x · gain · gate(W2 · act(W1 · pool(x) + b1) + b2)`,
 * exactly as the se-core spec says (hard-sigmoid alpha and beta included). Differentiable with
 * respect to x and the weight tensors; intermediates are freed. Bad input throws a se-core
 * error (SESpecError, SEShapeError, SEWeightFormatError) before any kernel runs.
 *
 * @param x Float32 rank-4 activations.
 * @param block A se-core `{ spec, weights }` (uploaded per call; see {@link toSETensors}) or tensors.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { seBlock } from '@seblock/se-tfjs';
 * const spec = { version: 1, channels: 32, reducedChannels: 8, squeeze: 'avg', activation: 'relu',
 *   gate: { type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 }, bias: true } as const;
 * const weights = { fc1Weight: new Float32Array(8 * 32), fc1Bias: new Float32Array(8),
 *   fc2Weight: new Float32Array(32 * 8), fc2Bias: new Float32Array(32) };
 * const y = seBlock(tf.randomNormal([1, 14, 14, 32]), { spec, weights });            // NHWC
 * const z = seBlock(tf.randomNormal([1, 32, 14, 14]), { spec, weights }, { layout: 'NCHW' });
 * ```
 */
export function seBlock(
  x: tf.Tensor4D,
  block: SEBlockInput,
  options: SEBlockOptions = {},
): tf.Tensor4D {
  if (options?.fused !== false && hasFusedSEKernel()) {
    const layout = checkLayout(options?.layout);
    const prepared = prepareBlock(block);
    checkActivation(x, prepared.spec, layout);
    return runFused(x, prepared, layout);
  }
  const { y, squeeze, excitation } = run(x, block, options);
  tf.dispose([squeeze, excitation]);
  return y;
}

/**
 * {@link seBlock} that also returns the squeezed descriptor and the channel weights, to compare
 * a backend with se-core's `seReferenceDetailed` step by step. The caller disposes all three.
 * Always the composed TF.js ops (the fused kernel returns only y).
 *
 * @example
 * ```ts
 * const { y, squeeze, excitation } = seBlockDetailed(x, { spec, weights });
 * console.log(await excitation.data());
 * tf.dispose([y, squeeze, excitation]);
 * ```
 */
export function seBlockDetailed(
  x: tf.Tensor4D,
  block: SEBlockInput,
  options: SEBlockOptions = {},
): SEBlockResult {
  return run(x, block, options);
}
