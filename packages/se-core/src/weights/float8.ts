// 8-bit float formats that safetensors stores (OCP 8-bit floating point spec,
// as PyTorch's float8_e4m3fn / float8_e5m2 and the MX scale type float8_e8m0fnu).
// Each widens exactly to float32.

/** E4M3 "fn": bias 7, no infinities, S.1111.111 is NaN (PyTorch float8_e4m3fn). */
export function float8E4M3BitsToNumber(bits: number): number {
  const sign = bits & 0x80 ? -1 : 1;
  const exponent = (bits >> 3) & 0xf;
  const mantissa = bits & 0x7;
  if (exponent === 0xf && mantissa === 0x7) return Number.NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -9; // subnormal: m/8 · 2^(1-7)
  return sign * (1 + mantissa / 8) * 2 ** (exponent - 7);
}

/** E5M2: IEEE-like, bias 15, with infinities and NaNs (PyTorch float8_e5m2). */
export function float8E5M2BitsToNumber(bits: number): number {
  const sign = bits & 0x80 ? -1 : 1;
  const exponent = (bits >> 2) & 0x1f;
  const mantissa = bits & 0x3;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -16; // subnormal: m/4 · 2^(1-15)
  return sign * (1 + mantissa / 4) * 2 ** (exponent - 15);
}

/** E8M0: an unsigned power of two 2^(e-127); 0xff is NaN (PyTorch float8_e8m0fnu). */
export function float8E8M0BitsToNumber(bits: number): number {
  return bits === 0xff ? Number.NaN : 2 ** (bits - 127);
}
