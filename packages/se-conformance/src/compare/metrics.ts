import { type AccuracyReport, accuracyOf, type PrecisionClass } from '@seblock/se-core';
import type { ConformanceCase } from '../backends/types.js';
import { conformanceTolerance, type ToleranceBasis } from './tolerance.js';

/** se-core's accuracy report for one output, with the bound it was held to. */
export interface ErrorMetrics extends AccuracyReport {
  /** Bound on worstUlp for this case (see conformanceTolerance). */
  readonly toleranceUlps: number;
  /** PyTorch's own float32 error on this case, when the case records it: the bound's basis. */
  readonly torchUlps?: number;
  /** What a naive float32 evaluation loses on this case: how ill-conditioned it is. */
  readonly naiveUlps: number;
  readonly toleranceBasis: ToleranceBasis;
  readonly passed: boolean;
}

/** A backend's output against the case's expected y. */
export function compareWithExpected(
  y: Float32Array,
  testCase: ConformanceCase,
  precision: PrecisionClass,
): ErrorMetrics {
  const tolerance = conformanceTolerance(testCase, precision);
  const report = accuracyOf(y, testCase.y, testCase.x, tolerance.ulps);
  return {
    ...report,
    toleranceUlps: tolerance.ulps,
    ...(tolerance.torchUlps === undefined ? {} : { torchUlps: tolerance.torchUlps }),
    naiveUlps: tolerance.naiveUlps,
    toleranceBasis: tolerance.basis,
    passed: report.outOfTolerance === 0,
  };
}

/** Two backends' outputs against each other: each may be off by its own tolerance. */
export function compareBackends(
  a: { readonly y: Float32Array; readonly precision: PrecisionClass },
  b: { readonly y: Float32Array; readonly precision: PrecisionClass },
  testCase: ConformanceCase,
): ErrorMetrics {
  const ta = conformanceTolerance(testCase, a.precision);
  const tb = conformanceTolerance(testCase, b.precision);
  const ulps = ta.ulps + tb.ulps;
  const report = accuracyOf(a.y, b.y, testCase.x, ulps);
  return {
    ...report,
    toleranceUlps: ulps,
    ...(ta.torchUlps === undefined ? {} : { torchUlps: ta.torchUlps }),
    naiveUlps: ta.naiveUlps,
    toleranceBasis: ta.basis,
    passed: report.outOfTolerance === 0,
  };
}
