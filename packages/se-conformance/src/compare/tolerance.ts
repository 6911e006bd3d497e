import {
  caseTolerance,
  type GoldenCase,
  PRECISION_TOLERANCES,
  type PrecisionClass,
} from '@seblock/se-core';

/** What a case's bound is measured against. */
export type ToleranceBasis = 'pytorch-float32' | 'naive-float32';

/** The bound one case is held to on a backend of one precision, and where it comes from. */
export interface ConformanceTolerance {
  /** Bound on accuracyOf's worstUlp (float32 ULPs of max(|y|, |x|)). */
  readonly ulps: number;
  /** PyTorch's own float32 error on the case (its golden metadata), when recorded. */
  readonly torchUlps: number | undefined;
  /** What a naive float32 evaluation of se-core's reference loses on the case (its conditioning). */
  readonly naiveUlps: number;
  /**
   * `pytorch-float32`: base + factor × PyTorch's float32 error (issue 16: accuracy at least
   * PyTorch's). `naive-float32`: the case records no PyTorch measurement (a user's own case),
   * so se-core's caseTolerance, base + factor × a naive float32 evaluation's error.
   */
  readonly basis: ToleranceBasis;
}

/**
 * The conformance tolerance of a case: 4 ULP + 2 × PyTorch's own float32 error on it
 * (se-core's PRECISION_TOLERANCES base and factor, float32), so every backend must be at
 * least as accurate as PyTorch's float32 forward, give or take 4 ULP of summation order.
 * Cases without PyTorch's measurement fall back to se-core's caseTolerance. NaN and ±Infinity
 * are not in ULPs: accuracyOf requires them exactly (SPEC.md, "Accuracy").
 *
 * @example
 * ```ts
 * const { ulps } = conformanceTolerance(goldenCase); // 4 + 2 × goldenCase.info.torchFloat32Ulps
 * ```
 */
export function conformanceTolerance(
  testCase: Pick<GoldenCase, 'block' | 'x' | 'shape' | 'info'>,
  precision: PrecisionClass = 'float32',
): ConformanceTolerance {
  const naive = caseTolerance(testCase, precision);
  const torchUlps = testCase.info.torchFloat32Ulps;
  if (torchUlps === undefined)
    return { ulps: naive.ulps, torchUlps, naiveUlps: naive.naiveUlps, basis: 'naive-float32' };
  const table = PRECISION_TOLERANCES[precision];
  return {
    ulps: table.baseUlps + table.naiveFactor * torchUlps,
    torchUlps,
    naiveUlps: naive.naiveUlps,
    basis: 'pytorch-float32',
  };
}
