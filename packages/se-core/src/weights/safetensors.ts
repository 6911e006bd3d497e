import { describeShape, describeValue, SEWeightFormatError } from '../errors/index.js';
import {
  DTYPE_BYTES,
  FLOAT_DTYPES,
  type FloatArray,
  type FloatDType,
  firstOverflow,
  readFloats,
  writeFloats,
} from './dtypes.js';

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

/** The header of a genuine file is kilobytes; this bound stops a forged length from allocating. */
export const MAX_HEADER_BYTES = 16 * 1024 * 1024;
const METADATA_KEY = '__metadata__';
const HEADER_ALIGNMENT = 8;

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

interface HeaderEntry {
  name: string;
  dtype: FloatDType;
  shape: number[];
  begin: number;
  end: number;
}

function parseHeader(bytes: Uint8Array): {
  entries: HeaderEntry[];
  metadata: Record<string, string>;
  dataStart: number;
} {
  if (!(bytes instanceof Uint8Array))
    fail('file', `expected a Uint8Array, received ${describeValue(bytes)}`);
  if (bytes.length < 8)
    fail('file', `expected at least 8 bytes (the header length), received ${bytes.length}`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(Math.min(MAX_HEADER_BYTES, bytes.length - 8))) {
    fail(
      'header length',
      `expected at most ${Math.min(MAX_HEADER_BYTES, bytes.length - 8)} bytes (file size and ${MAX_HEADER_BYTES}-byte cap), received ${headerLength}`,
    );
  }
  const dataStart = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)),
    );
  } catch (error) {
    fail('header', `expected UTF-8 JSON: ${(error as Error).message.slice(0, 120)}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    fail('header', `expected a JSON object, received ${describeValue(header)}`);
  }
  const metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        fail('__metadata__', `expected an object of strings, received ${describeValue(raw)}`);
      for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof value !== 'string')
          fail(`__metadata__.${key}`, `expected a string, received ${describeValue(value)}`);
        metadata[key] = value;
      }
      continue;
    }
    entries.push(parseEntry(name, raw));
  }
  return { entries, metadata, dataStart };
}

function parseEntry(name: string, raw: unknown): HeaderEntry {
  const field = `tensor ${name}`;
  if (typeof raw !== 'object' || raw === null)
    fail(field, `expected { dtype, shape, data_offsets }, received ${describeValue(raw)}`);
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(FLOAT_DTYPES as readonly string[]).includes(dtype)) {
    fail(
      `${field}.dtype`,
      `expected one of ${FLOAT_DTYPES.join(', ')}, received ${describeValue(dtype)}`,
    );
  }
  if (
    !Array.isArray(shape) ||
    shape.length > 8 ||
    !shape.every((d) => Number.isSafeInteger(d) && d >= 0)
  ) {
    fail(
      `${field}.shape`,
      `expected up to 8 non-negative integers, received ${describeValue(shape)}`,
    );
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)
  ) {
    fail(
      `${field}.data_offsets`,
      `expected [begin, end] integers, received ${describeValue(offsets)}`,
    );
  }
  const [begin, end] = offsets as [number, number];
  const expectedBytes = elementCount(shape as number[]) * DTYPE_BYTES[dtype as FloatDType];
  if (end - begin !== expectedBytes) {
    fail(
      `${field}.data_offsets`,
      `${dtype} ${describeShape(shape as number[])} needs ${expectedBytes} bytes, offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  return { name, dtype: dtype as FloatDType, shape: shape as number[], begin, end };
}

/**
 * Decodes safetensors bytes strictly: bounded header, offsets inside the
 * buffer, tensors tiling the data section with no overlap and no hole. Every
 * failure is a {@link SEWeightFormatError}. Values are not checked for
 * finiteness here (the SE layer above does that).
 */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  const { entries, metadata, dataStart } = parseHeader(bytes);
  const dataLength = bytes.length - dataStart;
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const entry of sorted) {
    if (entry.begin < cursor)
      fail(
        `tensor ${entry.name}.data_offsets`,
        `overlaps the previous tensor (starts at ${entry.begin}, previous ends at ${cursor})`,
      );
    if (entry.begin > cursor)
      fail(
        `tensor ${entry.name}.data_offsets`,
        `leaves a hole of ${entry.begin - cursor} bytes before it`,
      );
    cursor = entry.end;
  }
  if (cursor !== dataLength) {
    fail('data', `tensors cover ${cursor} bytes but the data section holds ${dataLength}`);
  }
  const tensors = new Map<string, DecodedTensor>();
  for (const entry of entries) {
    const count = (entry.end - entry.begin) / DTYPE_BYTES[entry.dtype];
    tensors.set(entry.name, {
      dtype: entry.dtype,
      shape: entry.shape,
      values: readFloats(bytes, dataStart + entry.begin, count, entry.dtype),
    });
  }
  return { tensors, metadata };
}
