import { float32Distance, float32Ulp } from './ulp.js';

/** How far a backend's output is from the expected one, and where the worst element is. */
export interface AccuracyReport {
  readonly count: number;
  /**
   * Largest |actual − expected| in float32 ULPs of max(|expected|, |x|) at the
   * same element: the number tolerances bound. y = x · e with e in [0, gain],
   * so this is the error of the channel weight e at the data's scale. Plain
   * ULPs of y (below) explode where the gate is near 0, where no float32
   * evaluation can be accurate relative to y. Infinity when a NaN or ±Infinity
   * of the expected output is not matched exactly, or appears where none is expected.
   */
  readonly worstUlp: number;
  /** Largest distance in representable float32 values from the expected y alone (reported, not bounded). */
  readonly worstStrictUlp: number;
  /** Over the finite expected elements. */
  readonly maxAbsError: number;
  /** Over the finite expected elements. */
  readonly maxRelError: number;
  /** Elements whose scaled ULP error exceeds `tolerance` (0 when no tolerance was given). */
  readonly outOfTolerance: number;
  /** Expected elements that are NaN or ±Infinity in float32 (compared by identity, not in ULPs). */
  readonly nonFinite: number;
  readonly worst: {
    readonly index: number;
    readonly actual: number;
    readonly expected: number;
    readonly x: number;
  };
}

/**
 * The error of one element in scaled ULPs (SPEC.md, "Accuracy"): where the
 * expected value is NaN the actual one must be NaN, where it is ±Infinity once
 * rounded to float32 (what a float32 backend can return) the same ±Infinity;
 * those give 0 or Infinity. Elsewhere |a − e| / ulp32(max(|e|, |x|)).
 *
 * @example
 * ```ts
 * elementUlps(Number.NaN, Number.NaN, 1); // 0
 * elementUlps(1 + 2 ** -23, 1, 1); // 1
 * ```
 */
export function elementUlps(actual: number, expected: number, x: number): number {
  const e32 = Math.fround(expected);
  if (Number.isNaN(expected)) return Number.isNaN(actual) ? 0 : Number.POSITIVE_INFINITY;
  if (!Number.isFinite(e32)) return actual === e32 ? 0 : Number.POSITIVE_INFINITY;
  const ulps = Math.abs(actual - expected) / float32Ulp(Math.max(Math.abs(expected), Math.abs(x)));
  // A NaN or Infinity where a finite value belongs (x may be huge or NaN too) is infinitely wrong.
  return Number.isNaN(ulps) ? Number.POSITIVE_INFINITY : ulps;
}

/**
 * Compares float32 results with expected values (float64 or float32) element by
 * element; `x` is the block input in the same layout. With `tolerance` (scaled
 * ULPs, see {@link AccuracyReport.worstUlp}) it also counts the elements over it.
 * NaN and ±Infinity must be reproduced exactly (see {@link elementUlps}).
 *
 * @example
 * ```ts
 * const report = accuracyOf(yFromBackend, goldenCase.y, goldenCase.x, caseTolerance(goldenCase).ulps);
 * if (report.outOfTolerance > 0) throw new Error(`worst ${report.worstUlp} ULP at ${report.worst.index}`);
 * ```
 */
export function accuracyOf(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  x: ArrayLike<number>,
  tolerance = Number.POSITIVE_INFINITY,
): AccuracyReport {
  if (actual.length !== expected.length || x.length !== expected.length) {
    throw new RangeError(
      `accuracyOf: ${actual.length} actual, ${expected.length} expected and ${x.length} input values`,
    );
  }
  let worstUlp = 0;
  let worstStrictUlp = 0;
  let maxAbsError = 0;
  let maxRelError = 0;
  let outOfTolerance = 0;
  let nonFinite = 0;
  let worst = { index: -1, actual: Number.NaN, expected: Number.NaN, x: Number.NaN };
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    const xi = x[i] as number;
    const ulps = elementUlps(a, e, xi);
    if (ulps > worstUlp) {
      worstUlp = ulps;
      worst = { index: i, actual: a, expected: e, x: xi };
    }
    if (!(ulps <= tolerance)) outOfTolerance++;
    if (!Number.isFinite(Math.fround(e))) {
      nonFinite++;
      if (ulps > 0) worstStrictUlp = Number.POSITIVE_INFINITY;
      continue;
    }
    worstStrictUlp = Math.max(worstStrictUlp, float32Distance(a, e));
    const abs = Math.abs(a - e); // NaN when a is NaN: counted as infinitely wrong
    if (!(abs <= maxAbsError)) maxAbsError = Number.isNaN(abs) ? Number.POSITIVE_INFINITY : abs;
    const rel = e === 0 ? (abs === 0 ? 0 : Number.POSITIVE_INFINITY) : abs / Math.abs(e);
    if (!(rel <= maxRelError)) maxRelError = Number.isNaN(rel) ? Number.POSITIVE_INFINITY : rel;
  }
  return {
    count: expected.length,
    worstUlp,
    worstStrictUlp,
    maxAbsError,
    maxRelError,
    outOfTolerance,
    nonFinite,
    worst,
  };
}
