import { float64Rounding } from '../excitation/dense.js';
import type { SESpec, SESpecInput } from '../spec/types.js';
import type { SEWeights } from '../weights/types.js';
import type { Layout } from './layout.js';
import { evaluateSE, type SEReferenceResult } from './pipeline.js';

export type { SEReferenceResult };

/**
 * The float64 oracle with every intermediate: computes an SE block exactly as
 * SPEC.md defines it, in plain loops, written for clarity rather than speed.
 * Every adapter is judged against this function.
 *
 * @example
 * ```ts
 * const { y, descriptors, logits, excitation } = seReferenceDetailed(spec, weights, x, [1, 64, 7, 7]);
 * ```
 */
export function seReferenceDetailed(
  spec: SESpec | SESpecInput,
  weights: SEWeights,
  x: ArrayLike<number>,
  shape: readonly number[],
  layout: Layout = 'NCHW',
): SEReferenceResult {
  return evaluateSE(spec, weights, x, shape, layout, float64Rounding);
}

/**
 * The SE block output in float64 for x of `shape` in `layout` ('NCHW' default).
 *
 * @example
 * ```ts
 * const y = seReference(spec, weights, x, [1, 64, 7, 7]);            // NCHW
 * const yNhwc = seReference(spec, weights, xNhwc, [1, 7, 7, 64], 'NHWC');
 * ```
 */
export function seReference(
  spec: SESpec | SESpecInput,
  weights: SEWeights,
  x: ArrayLike<number>,
  shape: readonly number[],
  layout: Layout = 'NCHW',
): Float64Array {
  return seReferenceDetailed(spec, weights, x, shape, layout).y;
}
