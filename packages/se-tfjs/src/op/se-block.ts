import type { Layout } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { gate } from '../math/gate.js';
import { perChannel, squeeze, sumDescriptors } from '../math/squeeze.js';
import { checkActivation, checkLayout } from '../validate.js';
import { type PreparedBlock, prepareBlock, type SEBlockInput } from './block.js';
import { hasFusedSEKernel, runFused } from './fused.js';

/** Options of {@link seBlock}. */
export interface SEBlockOptions {
  /** Axis order of `x`: 'NHWC' (default, TF.js' convention) or 'NCHW' (PyTorch's). */
  readonly layout?: Layout;
  /**
   * Use the fused kernel when the active backend has one (default true): one kernel for
   * pool, excitation and scale instead of about ten ops (see {@link registerSEKernels}).
   * `false` forces the composed TF.js ops, e.g. to compare the two.
   */
  readonly fused?: boolean;
}

/** The output of an SE block and its intermediates (see {@link seBlockDetailed}). */
export interface SEBlockResult {
  /** The block output, same shape and layout as x. */
  readonly y: tf.Tensor4D;
  /** What the excitation receives, each [N, C]: one descriptor, two (avg, max) for `avg+max`. */
  readonly descriptors: readonly tf.Tensor2D[];
  /** The excitation logits summed over the descriptors, [N, C]. */
  readonly logits: tf.Tensor2D;
  /** The channel weights e = gain · gate(logits), [N, C]. */
  readonly excitation: tf.Tensor2D;
}

/** The composed TF.js ops, keeping every intermediate. */
export function composed(x: tf.Tensor4D, prepared: PreparedBlock, layout: Layout): SEBlockResult {
  const { spec, kind } = prepared;
  const [y, logits, e, ...descriptors] = tf.tidy(() => {
    const parts = squeeze(x, spec.squeeze, layout);
    const ctx = {
      excitation: spec.excitation,
      channels: spec.channels,
      weights: prepared.tensors(),
      kernelLayout: prepared.kernelLayout,
    };
    const z = sumDescriptors(kind.logits(ctx, parts.rows), parts.depth);
    const g = gate(z, spec.gate);
    const e = spec.gain === 1 ? g : tf.mul(g, spec.gain);
    const y = tf.mul(x, perChannel(e, x, layout));
    const n = x.shape[0];
    const rows = Array.from({ length: parts.depth }, (_, i) =>
      parts.depth === 1 ? parts.rows : tf.slice(parts.rows, [i * n, 0], [n, -1]),
    );
    return [y, z, e, ...rows];
  });
  return {
    y: y as tf.Tensor4D,
    descriptors: descriptors as tf.Tensor2D[],
    logits: logits as tf.Tensor2D,
    excitation: e as tf.Tensor2D,
  };
}

/** Checks everything (spec, weights, x, layout) before any kernel runs. */
export function prepare(x: tf.Tensor4D, block: SEBlockInput, options: SEBlockOptions) {
  const layout = checkLayout(options?.layout);
  const prepared = prepareBlock(block);
  checkActivation(x, prepared.spec, layout);
  return { layout, prepared };
}

/**
 * A Squeeze-and-Excitation block as a TF.js op: `y = x · gain · gate(Σ_d logits(d))` over the
 * descriptors `d` of the spec's squeeze, with the logits of the spec's excitation kind (mlp:
 * `W2 · act(W1 · d + b1) + b2`; ese, cbam: see se-core's SPEC.md), exactly as the se-core spec
 * says. Differentiable with respect to x and the weight tensors; intermediates are freed. Bad
 * input (including disposed tensors) throws a se-core error (SESpecError, SEShapeError,
 * SEWeightFormatError) before any kernel runs.
 *
 * @param x Float32 rank-4 activations.
 * @param block A se-core `{ spec, weights }` (typed arrays, uploaded per call; see
 *   {@link toSETensors}) or the same with tensors.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { seBlock } from '@seblock/se-tfjs';
 * const spec = { version: 2, channels: 32, excitation: { kind: 'mlp', reducedChannels: 8,
 *   activation: 'relu', bias: false }, gate: { type: 'sigmoid' } } as const;
 * const weights = { fc1Weight: new Float32Array(8 * 32), fc2Weight: new Float32Array(32 * 8) };
 * const y = seBlock(tf.randomNormal([1, 14, 14, 32]), { spec, weights });            // NHWC
 * const z = seBlock(tf.randomNormal([1, 32, 14, 14]), { spec, weights }, { layout: 'NCHW' });
 * ```
 */
export function seBlock(
  x: tf.Tensor4D,
  block: SEBlockInput,
  options: SEBlockOptions = {},
): tf.Tensor4D {
  const { layout, prepared } = prepare(x, block, options);
  if (options?.fused !== false && hasFusedSEKernel()) return runFused(x, prepared, layout);
  const { y, descriptors, logits, excitation } = composed(x, prepared, layout);
  tf.dispose([...descriptors, logits, excitation]);
  return y;
}

/**
 * {@link seBlock} that also returns the descriptors, the summed logits and the channel
 * weights, to compare a backend with se-core's `seReferenceDetailed` step by step. The caller
 * disposes every tensor. Always the composed TF.js ops (the fused kernel returns only y).
 *
 * @example
 * ```ts
 * const { y, descriptors, logits, excitation } = seBlockDetailed(x, { spec, weights });
 * console.log(await excitation.data());
 * tf.dispose([y, ...descriptors, logits, excitation]);
 * ```
 */
export function seBlockDetailed(
  x: tf.Tensor4D,
  block: SEBlockInput,
  options: SEBlockOptions = {},
): SEBlockResult {
  const { layout, prepared } = prepare(x, block, options);
  return composed(x, prepared, layout);
}
