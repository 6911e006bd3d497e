// The conformance tolerance is se-core's (one table for every backend); these names keep
// this package's tests readable.
import { caseTolerance, type GoldenCase, PRECISION_TOLERANCES } from '@seblock/se-core';

/** Allowed error on well-conditioned data, in float32 ULPs of max(|y|, |x|). */
export const ULP_TOLERANCE = PRECISION_TOLERANCES.float32.baseUlps;

/** se-core's tolerance for a golden case: base plus twice a naive float32 evaluation's error. */
export function goldenTolerance(goldenCase: Pick<GoldenCase, 'block' | 'x' | 'shape'>): {
  readonly tolerance: number;
  readonly naiveFloat32Ulp: number;
} {
  const { ulps, naiveUlps } = caseTolerance(goldenCase);
  return { tolerance: ulps, naiveFloat32Ulp: naiveUlps };
}
