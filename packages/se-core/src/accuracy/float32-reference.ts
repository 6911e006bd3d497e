import type { Layout } from '../reference/layout.js';
import { evaluateSE } from '../reference/pipeline.js';
import type { SEBlockInput } from '../weights/types.js';

// The SE block evaluated the straightforward way in float32: every operation
// rounded (Math.fround), sums in index order, formulas exactly as the spec
// writes them, the same code path as the float64 reference (reference/pipeline.ts).
// Not an oracle: its distance from the float64 reference measures how
// ill-conditioned a case is, i.e. what any float32 implementation may lose.

/**
 * y of an SE block computed naively in float32 (NCHW unless `layout` says otherwise).
 *
 * @example
 * ```ts
 * const naive = seReferenceFloat32(block, x, [1, 64, 7, 7]);
 * const conditioning = accuracyOf(naive, seReference(block.spec, block.weights, x, [1, 64, 7, 7]), x).worstUlp;
 * ```
 */
export function seReferenceFloat32(
  block: SEBlockInput,
  x: ArrayLike<number>,
  shape: readonly number[],
  layout: Layout = 'NCHW',
): Float32Array {
  return Float32Array.from(evaluateSE(block.spec, block.weights, x, shape, layout, Math.fround).y);
}
