// The conformance tolerances are se-core's (one table for every backend); these names keep
// this package's tests readable.
import { caseTolerance, type GoldenCase, PRECISION_TOLERANCES } from '@seblock/se-core';

/** Allowed error on well-conditioned data, in float32 ULPs of max(|y|, |x|). */
export const ULP_TOLERANCE = PRECISION_TOLERANCES.float32.baseUlps;

export interface GoldenTolerance {
  /** The bound on the case's worst ULP error. */
  readonly tolerance: number;
  /** PyTorch's own float32 error on the case (GoldenCase.info), when the case records it. */
  readonly torchFloat32Ulp: number | undefined;
  /** What a naive float32 evaluation of the reference loses on the case (its conditioning). */
  readonly naiveFloat32Ulp: number;
}

/**
 * A golden case's bound: at least PyTorch's accuracy (issue 16), 4 ULPs plus twice what
 * PyTorch's own float32 forward loses on the case; a case made here (no PyTorch measurement)
 * gets se-core's `caseTolerance`, 4 plus twice a naive float32 evaluation's error.
 */
export function goldenTolerance(
  goldenCase: Pick<GoldenCase, 'block' | 'x' | 'shape' | 'info'>,
): GoldenTolerance {
  const { ulps, naiveUlps } = caseTolerance(goldenCase);
  const torch = goldenCase.info.torchFloat32Ulps;
  return {
    tolerance: torch === undefined ? ulps : ULP_TOLERANCE + 2 * torch,
    torchFloat32Ulp: torch,
    naiveFloat32Ulp: naiveUlps,
  };
}
