/**
 * Denominator floor, so an exact zero in `expected` (a closed hard-sigmoid
 * gate) still compares: equal zeros give 0, anything else a huge error.
 * The same rule as test/golden.test.ts, so the CLI and the test agree.
 */
const TINY = 1e-300;

/**
 * Largest per-element error `|actual_i − expected_i| / max(|expected_i|, 1e-300)`.
 * Returns Infinity on a length mismatch and NaN if any value is NaN.
 *
 * @example
 * ```ts
 * maxRelativeError([1, 2.000000000001], [1, 2]); // ≈ 5e-13
 * ```
 */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    const a = actual[i] as number;
    if (Number.isNaN(a) || Number.isNaN(e)) return Number.NaN;
    if (a === e) continue;
    const error = Math.abs(a - e) / Math.max(Math.abs(e), TINY);
    if (error > worst) worst = error;
  }
  return worst;
}

/** Compact scientific notation for error columns: `3.1e-16`, `0`. */
export function formatError(value: number): string {
  return value === 0 ? '0' : value.toExponential(1);
}
