import {
  type AccuracyReport,
  accuracyOf,
  caseTolerance,
  type PrecisionClass,
} from '@seblock/se-core';
import type { ConformanceCase } from '../backends/types.js';

/** se-core's accuracy report for one output, with the bound it was held to. */
export interface ErrorMetrics extends AccuracyReport {
  /** Bound on worstUlp for this case (se-core's caseTolerance). */
  readonly toleranceUlps: number;
  /** What a naive float32 evaluation loses on this case: how ill-conditioned it is. */
  readonly naiveUlps: number;
  readonly passed: boolean;
}

/** A backend's output against the case's expected y. */
export function compareWithExpected(
  y: Float32Array,
  testCase: ConformanceCase,
  precision: PrecisionClass,
): ErrorMetrics {
  const { ulps, naiveUlps } = caseTolerance(testCase, precision);
  const report = accuracyOf(y, testCase.y, testCase.x, ulps);
  return { ...report, toleranceUlps: ulps, naiveUlps, passed: report.outOfTolerance === 0 };
}

/** Two backends' outputs against each other: each may be off by its own tolerance. */
export function compareBackends(
  a: { readonly y: Float32Array; readonly precision: PrecisionClass },
  b: { readonly y: Float32Array; readonly precision: PrecisionClass },
  testCase: ConformanceCase,
): ErrorMetrics {
  const ta = caseTolerance(testCase, a.precision);
  const tb = caseTolerance(testCase, b.precision);
  const ulps = ta.ulps + tb.ulps;
  const report = accuracyOf(a.y, b.y, testCase.x, ulps);
  return {
    ...report,
    toleranceUlps: ulps,
    naiveUlps: ta.naiveUlps,
    passed: report.outOfTolerance === 0,
  };
}
