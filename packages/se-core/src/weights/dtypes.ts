import { bfloat16BitsToNumber, halfBitsToNumber, numberToHalfBits } from './float16.js';

/** Floating-point dtypes SE Blocks reads. Files we write use F32 (F16 or F64 on request). */
export type FloatDType = 'F16' | 'BF16' | 'F32' | 'F64';
export const FLOAT_DTYPES: readonly FloatDType[] = ['F16', 'BF16', 'F32', 'F64'];
export const WRITABLE_DTYPES: readonly FloatDType[] = ['F16', 'F32', 'F64'];

export const DTYPE_BYTES: Record<FloatDType, number> = { F16: 2, BF16: 2, F32: 4, F64: 8 };

/** Decoded tensor values: F64 stays float64, everything narrower widens exactly to float32. */
export type FloatArray = Float32Array | Float64Array;

/**
 * Index of the first finite value that would overflow to ±Infinity in `dtype`
 * (e.g. 70000 in F16), or -1. Such a file would silently change the block.
 */
export function firstOverflow(values: ArrayLike<number>, dtype: FloatDType): number {
  if (dtype === 'F64') return -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    const stored =
      dtype === 'F16'
        ? halfBitsToNumber(numberToHalfBits(v))
        : dtype === 'BF16'
          ? bfloat16BitsToNumber(bfloat16Bits(v))
          : Math.fround(v);
    if (!Number.isFinite(stored)) return i;
  }
  return -1;
}

/** Writes `values` as little-endian `dtype` into `target` at `byteOffset`. */
export function writeFloats(
  target: Uint8Array,
  byteOffset: number,
  values: ArrayLike<number>,
  dtype: FloatDType,
): void {
  const view = new DataView(
    target.buffer,
    target.byteOffset + byteOffset,
    values.length * DTYPE_BYTES[dtype],
  );
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (dtype === 'F64') view.setFloat64(i * 8, v, true);
    else if (dtype === 'F32') view.setFloat32(i * 4, v, true);
    else if (dtype === 'F16') view.setUint16(i * 2, numberToHalfBits(v), true);
    else view.setUint16(i * 2, bfloat16Bits(v), true);
  }
}

function bfloat16Bits(value: number): number {
  const f = new Float32Array([value]);
  const bits = new Uint32Array(f.buffer)[0] as number;
  if ((bits & 0x7f800000) === 0x7f800000 && bits & 0x7fffff) return 0x7fc0; // NaN
  const roundingBias = 0x7fff + ((bits >>> 16) & 1);
  return ((bits + roundingBias) >>> 16) & 0xffff;
}
