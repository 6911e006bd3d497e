import { SEWeightFormatError } from '../errors/index.js';
import { bfloat16BitsToNumber, halfBitsToNumber } from '../weights/float16.js';

/**
 * The reader seam for whole checkpoints: a strict safetensors container reader and writer
 * that keeps every dtype (se-core's SE-block reader accepts only float dtypes, and a real
 * state_dict also holds I64 `num_batches_tracked`). The ONE file to switch when se-core's
 * general reader lands.
 */

/** safetensors dtypes a PyTorch state_dict uses. */
export type CheckpointDType =
  | 'F64'
  | 'F32'
  | 'F16'
  | 'BF16'
  | 'I64'
  | 'I32'
  | 'I16'
  | 'I8'
  | 'U8'
  | 'BOOL';

const DTYPE_SIZE: Readonly<Record<CheckpointDType, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

/** One tensor: dtype, shape and its little-endian bytes (a copy, never the caller's buffer). */
export interface CheckpointTensor {
  readonly dtype: CheckpointDType;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

export interface Checkpoint {
  readonly tensors: ReadonlyMap<string, CheckpointTensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

/** The header of a real checkpoint is well under this (SE-ResNet-101: about 60 kB). */
const MAX_HEADER = 64 * 1024 * 1024;

function fail(field: string, message: string): never {
  throw new SEWeightFormatError(field, message);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads a safetensors file of any dtype. Checks the header length, every entry's dtype,
 * shape and offsets (inside the data, sizes matching the shape, no overlaps, no gaps) and that
 * the file ends where the data does, so a truncated download is caught here.
 *
 * @example
 * ```ts
 * const { tensors } = readCheckpoint(bytes);
 * tensors.get('bn1.num_batches_tracked')?.dtype; // 'I64'
 * ```
 */
export function readCheckpoint(bytes: Uint8Array): Checkpoint {
  if (!(bytes instanceof Uint8Array)) fail('checkpoint', 'expected a Uint8Array');
  if (bytes.length < 8) fail('checkpoint', `expected at least 8 bytes, received ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
    fail(
      'checkpoint header length',
      `expected at most ${Math.min(MAX_HEADER, bytes.length - 8)} bytes, received ${headerLength} (a truncated or non-safetensors file)`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)),
    );
  } catch (error) {
    fail('checkpoint header', `expected UTF-8 JSON: ${(error as Error).message}`);
  }
  if (!isRecord(header)) fail('checkpoint header', 'expected a JSON object');
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, CheckpointTensor>();
  let metadata: Record<string, string> = {};
  const spans: [number, number, string][] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isRecord(entry) || Object.values(entry).some((v) => typeof v !== 'string'))
        fail('checkpoint __metadata__', 'expected an object of strings');
      metadata = { ...(entry as Record<string, string>) };
      continue;
    }
    const field = `tensor ${name}`;
    if (!isRecord(entry)) fail(field, 'expected { dtype, shape, data_offsets }');
    const dtype = entry.dtype as CheckpointDType;
    if (typeof dtype !== 'string' || !(dtype in DTYPE_SIZE))
      fail(
        `${field}.dtype`,
        `expected one of ${Object.keys(DTYPE_SIZE).join(', ')}, received ${String(entry.dtype)}`,
      );
    const shape = entry.shape;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0))
      fail(`${field}.shape`, `expected non-negative integers, received ${JSON.stringify(shape)}`);
    const offsets = entry.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      offsets.some((o) => !Number.isSafeInteger(o) || o < 0) ||
      offsets[0] > offsets[1] ||
      offsets[1] > dataLength
    ) {
      fail(
        `${field}.data_offsets`,
        `expected [begin, end] within the ${dataLength} data bytes, received ${JSON.stringify(offsets)} (a truncated file?)`,
      );
    }
    const [begin, end] = offsets as [number, number];
    const size = (shape as number[]).reduce((a, b) => a * b, 1) * DTYPE_SIZE[dtype];
    if (end - begin !== size)
      fail(
        field,
        `shape ${JSON.stringify(shape)} of ${dtype} needs ${size} bytes, data_offsets give ${end - begin}`,
      );
    spans.push([begin, end, name]);
    tensors.set(name, {
      dtype,
      shape: [...(shape as number[])],
      bytes: bytes.slice(dataStart + begin, dataStart + end),
    });
  }
  spans.sort((a, b) => a[0] - b[0]);
  let covered = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== covered)
      fail(
        `tensor ${name}.data_offsets`,
        `expected to start at byte ${covered} (no gaps or overlaps), received ${begin}`,
      );
    covered = end;
  }
  if (covered !== dataLength)
    fail('checkpoint', `expected ${covered} data bytes after the header, received ${dataLength}`);
  return { tensors, metadata };
}

/**
 * Writes tensors (in name order) as safetensors bytes, data 8-byte aligned.
 *
 * @example
 * ```ts
 * const bytes = writeCheckpoint(new Map([['x', { dtype: 'F32', shape: [1], bytes: new Uint8Array(4) }]]));
 * ```
 */
export function writeCheckpoint(
  tensors: ReadonlyMap<string, CheckpointTensor>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name) as CheckpointTensor;
    const size = t.shape.reduce((a, b) => a * b, 1) * DTYPE_SIZE[t.dtype];
    if (size !== t.bytes.length)
      fail(
        `tensor ${name}`,
        `shape ${JSON.stringify(t.shape)} of ${t.dtype} needs ${size} bytes, received ${t.bytes.length}`,
      );
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const pad = (8 - (json.length % 8)) % 8;
  if (pad) json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(pad));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const name of names) {
    const t = tensors.get(name) as CheckpointTensor;
    out.set(t.bytes, at);
    at += t.bytes.length;
  }
  return out;
}

/** A float tensor's values widened to float32 (F64 is rounded: TF.js and ONNX models run float32). */
export function checkpointFloats(tensor: CheckpointTensor, field: string): Float32Array {
  const n = tensor.bytes.length / DTYPE_SIZE[tensor.dtype];
  const view = new DataView(tensor.bytes.buffer, tensor.bytes.byteOffset, tensor.bytes.byteLength);
  const out = new Float32Array(n);
  switch (tensor.dtype) {
    case 'F32':
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    case 'F64':
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
      return out;
    case 'BF16':
      for (let i = 0; i < n; i++) out[i] = bfloat16BitsToNumber(view.getUint16(i * 2, true));
      return out;
    case 'F16':
      for (let i = 0; i < n; i++) out[i] = halfBitsToNumber(view.getUint16(i * 2, true));
      return out;
    default:
      fail(
        `${field}.dtype`,
        `expected a float dtype (F32, F64, F16, BF16), received ${tensor.dtype}`,
      );
  }
}

/** An integer tensor's values as BigInt64 (`num_batches_tracked` is I64; I32 is accepted too). */
export function checkpointIntegers(tensor: CheckpointTensor, field: string): BigInt64Array {
  const view = new DataView(tensor.bytes.buffer, tensor.bytes.byteOffset, tensor.bytes.byteLength);
  if (tensor.dtype === 'I64') {
    return BigInt64Array.from({ length: tensor.bytes.length / 8 }, (_, i) =>
      view.getBigInt64(i * 8, true),
    );
  }
  if (tensor.dtype === 'I32') {
    return BigInt64Array.from({ length: tensor.bytes.length / 4 }, (_, i) =>
      BigInt(view.getInt32(i * 4, true)),
    );
  }
  fail(`${field}.dtype`, `expected I64 (or I32), received ${tensor.dtype}`);
}

/** float32 values as an F32 checkpoint tensor. */
export function float32Tensor(shape: readonly number[], values: Float32Array): CheckpointTensor {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] as number, true);
  return { dtype: 'F32', shape: [...shape], bytes };
}

/** int64 values as an I64 checkpoint tensor. */
export function int64Tensor(shape: readonly number[], values: BigInt64Array): CheckpointTensor {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setBigInt64(i * 8, values[i] as bigint, true);
  return { dtype: 'I64', shape: [...shape], bytes };
}
