import { SEWeightFormatError } from '../errors/index.js';
import {
  float8E4M3BitsToNumber,
  float8E5M2BitsToNumber,
  float8E8M0BitsToNumber,
} from './float8.js';
import { bfloat16BitsToNumber, halfBitsToNumber } from './float16.js';

/**
 * Bits per element of every dtype the safetensors format defines (the Rust
 * crate's `Dtype`, 0.6). F4 and F6 are packed below a byte: a tensor of them
 * must fill whole bytes.
 */
export const SAFETENSORS_DTYPE_BITS = {
  BOOL: 8,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  F64: 64,
  I64: 64,
  U64: 64,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
} as const;

/** A dtype of the safetensors format. */
export type SafetensorsDType = keyof typeof SAFETENSORS_DTYPE_BITS;
export const SAFETENSORS_DTYPES = Object.keys(SAFETENSORS_DTYPE_BITS) as SafetensorsDType[];

/**
 * What {@link SafetensorsEntryOf.decode} returns for each dtype. Floats narrower
 * than 64 bits widen exactly to Float32Array. Integers keep their own typed
 * array, so every value is exact: I64/U64 become BigInt64Array/BigUint64Array
 * (a Number loses integers above 2^53), BOOL a Uint8Array of 0 and 1. Packed
 * F4/F6 tensors are listed with their shape and offsets checked, but not decoded.
 */
export interface SafetensorsValuesByDType {
  BOOL: Uint8Array;
  U8: Uint8Array;
  I8: Int8Array;
  F8_E5M2: Float32Array;
  F8_E4M3: Float32Array;
  F8_E8M0: Float32Array;
  I16: Int16Array;
  U16: Uint16Array;
  F16: Float32Array;
  BF16: Float32Array;
  I32: Int32Array;
  U32: Uint32Array;
  F32: Float32Array;
  F64: Float64Array;
  I64: BigInt64Array;
  U64: BigUint64Array;
  F4: never;
  F6_E2M3: never;
  F6_E3M2: never;
}

/** Decoded values of a tensor of any dtype. */
export type SafetensorsValues = SafetensorsValuesByDType[SafetensorsDType];

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type TypedArrayOf<T> = { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number };

/**
 * A copy of `raw` in a buffer of its own. Not `raw.slice()`: on a Node Buffer
 * (what readFileSync returns) slice() is a view that shares the caller's memory.
 */
function copyBytes(raw: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(raw.length);
  copy.set(raw);
  return copy;
}

/**
 * A copy of `raw` viewed as `Type`. The copy starts its own buffer, so it is
 * aligned and never aliases the caller's bytes; big-endian hosts swap bytes.
 */
function copyAs<T>(raw: Uint8Array, Type: TypedArrayOf<T>): T {
  const copy = copyBytes(raw);
  if (!LITTLE_ENDIAN_HOST) {
    const size = Type.BYTES_PER_ELEMENT;
    for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
  }
  return new Type(copy.buffer);
}

function widen(raw: Uint8Array, bytesPerValue: 1 | 2, toNumber: (bits: number) => number) {
  const out = new Float32Array(raw.length / bytesPerValue);
  for (let i = 0; i < out.length; i++) {
    const bits =
      bytesPerValue === 1
        ? (raw[i] as number)
        : (raw[2 * i] as number) | ((raw[2 * i + 1] as number) << 8);
    out[i] = toNumber(bits);
  }
  return out;
}

/**
 * Decodes the little-endian bytes of one tensor (already checked to hold a
 * whole number of values). Always a copy. `field` names the tensor in errors.
 */
export function decodeTensorBytes<D extends SafetensorsDType>(
  raw: Uint8Array,
  dtype: D,
  field: string,
): SafetensorsValuesByDType[D] {
  return decoders[dtype](raw, field) as SafetensorsValuesByDType[D];
}

const decoders: {
  [D in SafetensorsDType]: (raw: Uint8Array, field: string) => SafetensorsValuesByDType[D];
} = {
  BOOL: (raw, field) => {
    const index = raw.findIndex((b) => b > 1);
    if (index >= 0) {
      throw new SEWeightFormatError(
        `${field}[${index}]`,
        `expected a BOOL byte 0 or 1, received ${raw[index]}`,
      );
    }
    return copyBytes(raw);
  },
  U8: (raw) => copyBytes(raw),
  I8: (raw) => copyAs(raw, Int8Array),
  F8_E5M2: (raw) => widen(raw, 1, float8E5M2BitsToNumber),
  F8_E4M3: (raw) => widen(raw, 1, float8E4M3BitsToNumber),
  F8_E8M0: (raw) => widen(raw, 1, float8E8M0BitsToNumber),
  I16: (raw) => copyAs(raw, Int16Array),
  U16: (raw) => copyAs(raw, Uint16Array),
  F16: (raw) => widen(raw, 2, halfBitsToNumber),
  BF16: (raw) => widen(raw, 2, bfloat16BitsToNumber),
  I32: (raw) => copyAs(raw, Int32Array),
  U32: (raw) => copyAs(raw, Uint32Array),
  F32: (raw) => copyAs(raw, Float32Array),
  F64: (raw) => copyAs(raw, Float64Array),
  I64: (raw) => copyAs(raw, BigInt64Array),
  U64: (raw) => copyAs(raw, BigUint64Array),
  F4: (_raw, field) => packedDType(field, 'F4'),
  F6_E2M3: (_raw, field) => packedDType(field, 'F6_E2M3'),
  F6_E3M2: (_raw, field) => packedDType(field, 'F6_E3M2'),
};

function packedDType(field: string, dtype: SafetensorsDType): never {
  throw new SEWeightFormatError(
    `${field}.dtype`,
    `${dtype} values are packed below a byte and this reader does not decode them (the tensor is listed, its shape and offsets checked)`,
  );
}
