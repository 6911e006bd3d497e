// Errors in float32 ULPs, the unit the project states tolerances in. (se-conformance will own
// the shared helper; this is the test-local one.)

/** Spacing of float32 values at |v| (2^-149 below the normal range). */
export function float32Ulp(value: number): number {
  const a = Math.abs(Math.fround(value));
  if (a < 2 ** -126) return 2 ** -149;
  let exponent = Math.floor(Math.log2(a));
  // log2 can land one off next to powers of two.
  if (2 ** exponent > a) exponent -= 1;
  else if (2 ** (exponent + 1) <= a) exponent += 1;
  return 2 ** (exponent - 23);
}

export interface UlpReport {
  /** Largest |actual − expected| in ULPs of max(|expected|, |x|): the asserted number. */
  readonly max: number;
  readonly index: number;
  /** Largest error in ULPs of the expected value alone (printed, not asserted). */
  readonly strict: number;
  readonly maxAbs: number;
}

/**
 * Compares float32 results with float64 expectations element by element. With `x` (the
 * block input, same layout), ULPs are taken at max(|expected|, |x|); without it, at |expected|.
 */
export function ulpReport(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  x?: ArrayLike<number>,
): UlpReport {
  if (actual.length !== expected.length)
    throw new Error(`length ${actual.length} vs expected ${expected.length}`);
  let max = 0;
  let index = -1;
  let strict = 0;
  let maxAbs = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    const diff = Math.abs((actual[i] as number) - e);
    const scale = Math.max(Math.abs(e), x ? Math.abs(x[i] as number) : 0);
    const ulps = diff / float32Ulp(scale);
    // `!(a <= b)` also catches NaN.
    if (!(ulps <= max)) {
      max = ulps;
      index = i;
    }
    strict = Math.max(strict, diff / float32Ulp(e));
    maxAbs = Math.max(maxAbs, diff);
  }
  return { max, index, strict, maxAbs };
}
