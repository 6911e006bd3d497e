// Error measured in float32 ULPs: the unit the project states tolerances in.

/** Spacing of float32 values at |v| (2^-149 below the normal range). */
export function float32Ulp(v: number): number {
  const a = Math.abs(Math.fround(v));
  if (a < 2 ** -126) return 2 ** -149;
  let e = Math.floor(Math.log2(a));
  // log2 can be off by one next to powers of two.
  if (2 ** e > a) e -= 1;
  else if (2 ** (e + 1) <= a) e += 1;
  return 2 ** (e - 23);
}

export interface UlpReport {
  /**
   * Largest |actual - expected| in float32 ULPs of max(|expected|, |x|) at the same
   * element. y = x · e with e in [0, gain], so this is the error of the excitation
   * at unit scale. Per-element ULPs of y alone explode where the gate saturates
   * towards 0 (y tiny, e.g. hard-sigmoid near its knee or sigmoid of -700): there no
   * float32 evaluation can be accurate relative to y, yet the error is far below one
   * ULP of the data. This is the number tests assert on.
   */
  readonly worstUlp: number;
  /** Largest error in ULPs of the expected value alone (printed, not asserted). */
  readonly worstStrictUlp: number;
  readonly worstIndex: number;
  readonly maxAbs: number;
}

/** Compares float32 results with float64 expectations, element by element. */
export function ulpReport(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  x?: ArrayLike<number>,
): UlpReport {
  if (actual.length !== expected.length)
    throw new Error(`length ${actual.length} vs expected ${expected.length}`);
  let worstUlp = 0;
  let worstStrictUlp = 0;
  let worstIndex = -1;
  let maxAbs = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    const diff = Math.abs((actual[i] as number) - e);
    const scale = Math.max(Math.abs(e), x ? Math.abs(x[i] as number) : 0);
    const ulps = diff / float32Ulp(scale);
    // `!(a <= b)` also catches NaN.
    if (!(ulps <= worstUlp)) {
      worstUlp = ulps;
      worstIndex = i;
    }
    worstStrictUlp = Math.max(worstStrictUlp, diff / float32Ulp(e));
    maxAbs = Math.max(maxAbs, diff);
  }
  return { worstUlp, worstStrictUlp, worstIndex, maxAbs };
}
