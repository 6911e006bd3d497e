import { SEWeightFormatError } from '../errors/index.js';
import { bfloat16BitsToNumber, halfBitsToNumber } from '../weights/float16.js';
import { SAFETENSORS_DTYPES } from '../weights/safetensors-dtypes.js';
import { parseSafetensorsHeader } from '../weights/safetensors-header.js';

/**
 * Whole checkpoints: a strict safetensors container reader and writer
 * that keeps every dtype (se-core's SE-block reader accepts only float dtypes, and a real
 * state_dict also holds I64 `num_batches_tracked`). Reading goes through se-core's
 * general safetensors header parser.
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

function fail(field: string, message: string): never {
  throw new SEWeightFormatError(field, message);
}

function isCheckpointDType(dtype: string): dtype is CheckpointDType {
  return dtype in DTYPE_SIZE;
}

/**
 * Reads a safetensors file of a PyTorch state_dict. The container is checked by se-core's
 * strict header parser (the one every reader uses: bounded header, no duplicate keys, every
 * entry's shape matching its offsets, tensors tiling the data, so a truncated download fails
 * here); this adds only the dtypes a state_dict holds and copies each tensor's bytes.
 *
 * @example
 * ```ts
 * const { tensors } = readCheckpoint(bytes);
 * tensors.get('bn1.num_batches_tracked')?.dtype; // 'I64'
 * ```
 */
export function readCheckpoint(bytes: Uint8Array): Checkpoint {
  if (!(bytes instanceof Uint8Array)) fail('checkpoint', 'expected a Uint8Array');
  const { entries, metadata, dataStart } = parseSafetensorsHeader(bytes, {
    dtypes: SAFETENSORS_DTYPES.filter(isCheckpointDType),
  });
  const tensors = new Map<string, CheckpointTensor>();
  for (const { name, dtype, shape, begin, end } of entries) {
    tensors.set(name, {
      dtype: dtype as CheckpointDType,
      shape: [...shape],
      // slice copies (also for a Node Buffer, whose own slice() would be a view).
      bytes: Uint8Array.prototype.slice.call(bytes, dataStart + begin, dataStart + end),
    });
  }
  return { tensors, metadata: { ...metadata } };
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
