// IEEE 754 binary16 and bfloat16 conversions. Widening (16 → 32 bit) is exact;
// narrowing rounds to nearest, ties to even, like numpy and PyTorch.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** binary16 bits → number (exact). */
export function halfBitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Python-style rounding of a non-negative value to an integer: halves go to the even one. */
function roundHalfEven(t: number): number {
  const floor = Math.floor(t);
  const diff = t - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * number → binary16 bits, rounding the float64 value directly (nearest, ties to
 * even; overflow to ±Infinity). Going through float32 first would round twice
 * and can land on the wrong half near a tie. Scaling by powers of two is exact,
 * so every step below is exact but the one rounding.
 */
export function numberToHalfBits(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const a = Math.abs(value);
  if (a >= 65520) return sign | 0x7c00; // 65520 = 65504 + half a step: rounds up to Infinity
  if (a < 2 ** -14) return sign | roundHalfEven(a * 2 ** 24); // subnormal; 1024 becomes the smallest normal, correctly
  let exponent = Math.floor(Math.log2(a));
  if (2 ** exponent > a) exponent--; // log2 can be off by one next to powers of two
  if (2 ** (exponent + 1) <= a) exponent++;
  let mantissa = roundHalfEven((a / 2 ** exponent - 1) * 1024);
  if (mantissa === 1024) {
    mantissa = 0;
    exponent++;
  }
  return sign | ((exponent + 15) << 10) | mantissa;
}

/** bfloat16 bits → number (exact). */
export function bfloat16BitsToNumber(bits: number): number {
  u32[0] = (bits & 0xffff) << 16;
  return f32[0] as number;
}
