import { describeShape, describeValue, SEWeightFormatError } from '../errors/index.js';
import {
  DTYPE_BYTES,
  FLOAT_DTYPES,
  type FloatArray,
  type FloatDType,
  firstOverflow,
  writeFloats,
} from './dtypes.js';
import { decodeTensorBytes } from './safetensors-dtypes.js';
import { type HeaderRules, METADATA_KEY, parseSafetensorsHeader } from './safetensors-header.js';

export { MAX_HEADER_BYTES } from './safetensors-header.js';

/**
 * A minimal, strict safetensors container: 8-byte little-endian header length,
 * a UTF-8 JSON header, then raw little-endian tensor data. Any safetensors
 * reader (Python `safetensors`, Hugging Face tooling) reads what we write.
 */

/** A tensor to write: values plus its shape and the dtype to store. */
export interface TensorToWrite {
  readonly shape: readonly number[];
  readonly values: ArrayLike<number>;
  readonly dtype?: FloatDType;
}

/** A decoded tensor. */
export interface DecodedTensor {
  readonly dtype: FloatDType;
  readonly shape: readonly number[];
  readonly values: FloatArray;
}

export interface DecodedSafetensors {
  readonly tensors: ReadonlyMap<string, DecodedTensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

const HEADER_ALIGNMENT = 8;
/** The SE formats store floats in tensors of rank 1, 2 or 4: 8 leaves room and refuses junk. */
const STRICT_RULES: HeaderRules = { dtypes: FLOAT_DTYPES, maxRank: 8 };

function fail(field: string, message: string): never {
  throw new SEWeightFormatError(field, message);
}

function elementCount(shape: readonly number[]): number {
  let count = 1;
  for (const dim of shape) count *= dim;
  return count;
}

/**
 * Encodes tensors (stored in name order) and string metadata as safetensors bytes.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors({ x: { shape: [2], values: [1, 2] } }, { note: 'hi' });
 * ```
 */
export function encodeSafetensors(
  tensors: Readonly<Record<string, TensorToWrite>>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header[METADATA_KEY] = { ...metadata };
  let offset = 0;
  for (const name of names) {
    if (name === METADATA_KEY) fail(`tensor ${name}`, 'this name is reserved for metadata');
    const tensor = tensors[name] as TensorToWrite;
    const dtype = tensor.dtype ?? 'F32';
    if (!FLOAT_DTYPES.includes(dtype))
      fail(
        `tensor ${name}.dtype`,
        `expected one of ${FLOAT_DTYPES.join(', ')}, received ${describeValue(dtype)}`,
      );
    for (const dim of tensor.shape) {
      if (!Number.isInteger(dim) || dim < 0)
        fail(
          `tensor ${name}.shape`,
          `expected non-negative integers, received ${describeValue(tensor.shape)}`,
        );
    }
    if (elementCount(tensor.shape) !== tensor.values.length) {
      fail(
        `tensor ${name}`,
        `shape ${describeShape(tensor.shape)} holds ${elementCount(tensor.shape)} values, received ${tensor.values.length}`,
      );
    }
    const overflow = firstOverflow(tensor.values, dtype);
    if (overflow >= 0) {
      fail(
        `tensor ${name}[${overflow}]`,
        `${tensor.values[overflow]} does not fit in ${dtype} (it would be stored as Infinity); store this tensor as F32 or F64`,
      );
    }
    const size = tensor.values.length * DTYPE_BYTES[dtype];
    header[name] = { dtype, shape: [...tensor.shape], data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  // Pad with spaces (allowed by the format) so the data starts 8-byte aligned.
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const padding = (HEADER_ALIGNMENT - (headerBytes.length % HEADER_ALIGNMENT)) % HEADER_ALIGNMENT;
  if (padding) {
    json += ' '.repeat(padding);
    headerBytes = encoder.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  const dataStart = 8 + headerBytes.length;
  for (const name of names) {
    const tensor = tensors[name] as TensorToWrite;
    const [begin] = (header[name] as { data_offsets: [number, number] }).data_offsets;
    writeFloats(out, dataStart + begin, tensor.values, tensor.dtype ?? 'F32');
  }
  return out;
}

/**
 * Decodes safetensors bytes strictly: bounded header, float dtypes only
 * (F16, BF16, F32, F64), at most 8 dimensions, offsets inside the buffer,
 * tensors tiling the data section with no overlap and no hole (see
 * parseSafetensorsHeader for every rule). Every failure is a
 * {@link SEWeightFormatError}. Values are copies, never views of `bytes`, and
 * are not checked for finiteness here (the SE layer above does that). For a
 * checkpoint with integer tensors, use {@link readSafetensorsIndex}.
 *
 * @example
 * ```ts
 * const { tensors, metadata } = decodeSafetensors(encodeSafetensors({ x: { shape: [2], values: [1, 2] } }));
 * tensors.get('x')?.values; // Float32Array [1, 2]
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  const { entries, metadata, dataStart } = parseSafetensorsHeader(bytes, STRICT_RULES);
  const tensors = new Map<string, DecodedTensor>();
  for (const { name, dtype, shape, begin, end } of entries) {
    const raw = bytes.subarray(dataStart + begin, dataStart + end);
    tensors.set(name, {
      dtype: dtype as FloatDType,
      shape,
      values: decodeTensorBytes(raw, dtype as FloatDType, `tensor ${name}`),
    });
  }
  return { tensors, metadata };
}
