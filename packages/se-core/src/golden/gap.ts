/**
 * Denominator floor, so an exact zero in `expected` (a closed hard-sigmoid
 * gate) still compares: equal zeros give 0, anything else a huge error.
 */
const TINY = 1e-300;

/** The worst element of a comparison and how far off it is. */
export interface WorstGap {
  /** Largest per-element relative gap; 0 when everything agrees. */
  readonly gap: number;
  /** Its index, -1 when every element agrees exactly. */
  readonly at: number;
  readonly actual: number;
  readonly expected: number;
}

/**
 * Compares two float64 evaluations of a golden case (our reference against the
 * stored y) element by element: `|a − e| / max(|e|, 1e-300)`, except that NaN
 * agrees only with NaN and ±Infinity only with itself (SPEC.md, "NaN and
 * overflow"); a mismatch there is an infinite gap.
 *
 * @example
 * ```ts
 * worstGap([1, Number.NaN], [1, Number.NaN]).gap; // 0
 * ```
 */
export function worstGap(actual: ArrayLike<number>, expected: ArrayLike<number>): WorstGap {
  if (actual.length !== expected.length) {
    return { gap: Number.POSITIVE_INFINITY, at: -1, actual: Number.NaN, expected: Number.NaN };
  }
  let worst: WorstGap = { gap: 0, at: -1, actual: 0, expected: 0 };
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (Object.is(a, e) || a === e || (Number.isNaN(a) && Number.isNaN(e))) continue;
    const gap = Number.isFinite(e)
      ? Math.abs(a - e) / Math.max(Math.abs(e), TINY)
      : Number.POSITIVE_INFINITY;
    // `!(gap <= worst)` also catches NaN (a NaN where a finite value belongs).
    if (!(gap <= worst.gap)) {
      worst = { gap: Number.isNaN(gap) ? Number.POSITIVE_INFINITY : gap, at: i, actual: a, expected: e };
    }
  }
  return worst;
}
