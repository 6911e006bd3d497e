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

/** number → binary16 bits (round to nearest even; overflow to ±Infinity). */
export function numberToHalfBits(value: number): number {
  f32[0] = value;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // underflows to zero
    mantissa |= 0x800000; // implicit leading bit
    const shift = 14 - e;
    const halfway = 1 << (shift - 1);
    const remainder = mantissa & ((1 << shift) - 1);
    let result = mantissa >>> shift;
    if (remainder > halfway || (remainder === halfway && result & 1)) result += 1;
    return sign | result;
  }
  const remainder = mantissa & 0x1fff;
  let result = sign | (e << 10) | (mantissa >>> 13);
  if (remainder > 0x1000 || (remainder === 0x1000 && result & 1)) result += 1; // may carry into exponent: correct
  return result;
}

/** bfloat16 bits → number (exact). */
export function bfloat16BitsToNumber(bits: number): number {
  u32[0] = (bits & 0xffff) << 16;
  return f32[0] as number;
}
