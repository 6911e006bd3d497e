// Float32 units in the last place: the unit SE Blocks states accuracy in.

/** Spacing of float32 values at |value| (2^-149 below the normal range). */
export function float32Ulp(value: number): number {
  const a = Math.abs(Math.fround(value));
  if (a < 2 ** -126) return 2 ** -149;
  let exponent = Math.floor(Math.log2(a));
  // log2 can land one off next to powers of two.
  if (2 ** exponent > a) exponent -= 1;
  else if (2 ** (exponent + 1) <= a) exponent += 1;
  return 2 ** (exponent - 23);
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/**
 * Maps a float32 onto a line of integers where adjacent floats differ by 1 and
 * -0 meets +0, so the distance in representable floats is a subtraction.
 */
export function float32Ordinal(value: number): number {
  f32[0] = value;
  const bits = i32[0] as number;
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

/**
 * How many float32 values lie between `actual` and `expected` (rounded to
 * float32 first, as a perfect float32 implementation would return it).
 * NaN on either side gives Infinity.
 */
export function float32Distance(actual: number, expected: number): number {
  if (Number.isNaN(actual) || Number.isNaN(expected)) return Number.POSITIVE_INFINITY;
  return Math.abs(float32Ordinal(actual) - float32Ordinal(Math.fround(expected)));
}
