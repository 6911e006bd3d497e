import { float32Distance, float32Ulp } from './ulp.js';

/** How far a backend's output is from the expected one, and where the worst element is. */
export interface AccuracyReport {
  readonly count: number;
  /**
   * Largest |actual − expected| in float32 ULPs of max(|expected|, |x|) at the
   * same element: the number tolerances bound. y = x · e with e in [0, gain],
   * so this is the error of the channel weight e at the data's scale. Plain
   * ULPs of y (below) explode where the gate is near 0, where no float32
   * evaluation can be accurate relative to y.
   */
  readonly worstUlp: number;
  /** Largest distance in representable float32 values from the expected y alone (reported, not bounded). */
  readonly worstStrictUlp: number;
  readonly maxAbsError: number;
  readonly maxRelError: number;
  /** Elements whose scaled ULP error exceeds `tolerance` (0 when no tolerance was given). */
  readonly outOfTolerance: number;
  readonly worst: {
    readonly index: number;
    readonly actual: number;
    readonly expected: number;
    readonly x: number;
  };
}

/**
 * Compares float32 results with expected values (float64 or float32) element by
 * element; `x` is the block input in the same layout. With `tolerance` (scaled
 * ULPs, see {@link AccuracyReport.worstUlp}) it also counts the elements over it.
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
  let worst = { index: -1, actual: Number.NaN, expected: Number.NaN, x: Number.NaN };
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    const xi = x[i] as number;
    const abs = Math.abs(a - e); // NaN when a is NaN: every comparison below then counts it as bad
    const ulps = abs / float32Ulp(Math.max(Math.abs(e), Math.abs(xi)));
    if (!(ulps <= worstUlp)) {
      worstUlp = Number.isNaN(ulps) ? Number.POSITIVE_INFINITY : ulps;
      worst = { index: i, actual: a, expected: e, x: xi };
    }
    worstStrictUlp = Math.max(worstStrictUlp, float32Distance(a, e));
    if (!(abs <= maxAbsError)) maxAbsError = Number.isNaN(abs) ? Number.POSITIVE_INFINITY : abs;
    const rel = e === 0 ? (abs === 0 ? 0 : Number.POSITIVE_INFINITY) : abs / Math.abs(e);
    if (!(rel <= maxRelError)) maxRelError = Number.isNaN(rel) ? Number.POSITIVE_INFINITY : rel;
    if (!(ulps <= tolerance)) outOfTolerance++;
  }
  return {
    count: expected.length,
    worstUlp,
    worstStrictUlp,
    maxAbsError,
    maxRelError,
    outOfTolerance,
    worst,
  };
}
