import { SEModelError } from '../errors.js';
import { onnx, TensorDataType, type TensorProto, toNumber } from './onnx.js';
import { type ModelParts, scopesOf } from './scopes.js';

/** Whether a tensor's values live in a file next to the model (ONNX external data). */
export function isExternal(tensor: TensorProto): boolean {
  return (
    tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL ||
    (tensor.externalData?.length ?? 0) > 0
  );
}

/**
 * The tensors of a model (initializers, sparse initializers, Constant values and other tensor
 * attributes, in every graph, subgraph and function) whose values are external data, by name.
 */
export function externalDataTensors(model: ModelParts): string[] {
  const found: string[] = [];
  const check = (t: TensorProto | null | undefined) => {
    if (t && isExternal(t)) found.push(t.name || '(unnamed)');
  };
  for (const { graph, nodes } of scopesOf(model)) {
    for (const t of graph?.initializer ?? []) check(t);
    for (const s of graph?.sparseInitializer ?? []) [s.values, s.indices].forEach(check);
    for (const node of nodes) {
      for (const attr of node.attribute ?? []) {
        check(attr.t);
        for (const t of attr.tensors ?? []) check(t);
        for (const s of [attr.sparseTensor, ...(attr.sparseTensors ?? [])])
          if (s) [s.values, s.indices].forEach(check);
      }
    }
  }
  return found;
}

/** A float32 tensor; float64 weights are rounded to float32 here (the graphs are float32). */
export function floatTensor(
  name: string,
  dims: readonly number[],
  values: ArrayLike<number>,
): TensorProto {
  const data = Float32Array.from(values as ArrayLike<number>);
  // raw_data (little-endian bytes) is what exporters write; it keeps files compact.
  return {
    name,
    dims: [...dims],
    dataType: TensorDataType.FLOAT,
    rawData: littleEndianBytes(data),
  };
}

/** An int64 tensor (axes, shapes). */
export function int64Tensor(
  name: string,
  dims: readonly number[],
  values: readonly number[],
): TensorProto {
  return { name, dims: [...dims], dataType: TensorDataType.INT64, int64Data: [...values] };
}

/** Whether typed arrays here store numbers little-endian, as ONNX raw_data and safetensors do. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A float32 tensor that takes over `values` (the caller must not use them afterwards): on
 * little-endian hosts raw_data is a view of them, which spares whole networks a copy and a
 * value-by-value pass over every weight.
 */
export function ownedFloatTensor(
  name: string,
  dims: readonly number[],
  values: Float32Array,
): TensorProto {
  return HOST_LITTLE_ENDIAN
    ? {
        name,
        dims: [...dims],
        dataType: TensorDataType.FLOAT,
        rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
      }
    : floatTensor(name, dims, values);
}

function littleEndianBytes(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] as number, true);
  return out;
}

/** The dims of a tensor as plain numbers. */
export function tensorDims(tensor: TensorProto): number[] {
  return (tensor.dims ?? []).map((d) => toNumber(d));
}

/**
 * Reads a FLOAT or DOUBLE tensor's values (raw_data or the typed field).
 * Throws {@link SEModelError} for other types or external data, naming the tensor.
 */
export function readFloatTensor(tensor: TensorProto, field: string): Float32Array | Float64Array {
  const count = tensorDims(tensor).reduce((a, b) => a * b, 1);
  const name = tensor.name ?? '(unnamed)';
  if (isExternal(tensor)) {
    throw new SEModelError(
      field,
      `tensor "${name}" is stored as external data, which this package does not read`,
    );
  }
  const raw = tensor.rawData;
  if (tensor.dataType === TensorDataType.FLOAT) {
    if (raw && raw.length > 0) return decodeRaw(raw, count, 4, name, field) as Float32Array;
    return checkCount(Float32Array.from(tensor.floatData ?? []), count, name, field);
  }
  if (tensor.dataType === TensorDataType.DOUBLE) {
    if (raw && raw.length > 0) return decodeRaw(raw, count, 8, name, field) as Float64Array;
    return checkCount(Float64Array.from(tensor.doubleData ?? []), count, name, field);
  }
  throw new SEModelError(
    field,
    `tensor "${name}" has data type ${TensorDataType[tensor.dataType ?? 0]}, expected FLOAT or DOUBLE`,
  );
}

/** Reads an INT64/INT32 tensor's values (axes, shapes). */
export function readIntTensor(tensor: TensorProto, field: string): number[] {
  const name = tensor.name ?? '(unnamed)';
  const raw = tensor.rawData;
  if (tensor.dataType === TensorDataType.INT64) {
    if (raw && raw.length > 0) {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      return Array.from({ length: raw.length / 8 }, (_, i) =>
        Number(view.getBigInt64(i * 8, true)),
      );
    }
    return (tensor.int64Data ?? []).map((v) => toNumber(v));
  }
  if (tensor.dataType === TensorDataType.INT32) {
    if (raw && raw.length > 0) {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      return Array.from({ length: raw.length / 4 }, (_, i) => view.getInt32(i * 4, true));
    }
    return [...(tensor.int32Data ?? [])];
  }
  throw new SEModelError(
    field,
    `tensor "${name}" has data type ${TensorDataType[tensor.dataType ?? 0]}, expected INT64`,
  );
}

function decodeRaw(
  raw: Uint8Array,
  count: number,
  width: 4 | 8,
  name: string,
  field: string,
): Float32Array | Float64Array {
  if (raw.length !== count * width) {
    throw new SEModelError(
      field,
      `tensor "${name}" has ${raw.length} bytes of raw data, expected ${count * width}`,
    );
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = width === 4 ? new Float32Array(count) : new Float64Array(count);
  for (let i = 0; i < count; i++)
    out[i] = width === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
  return out;
}

function checkCount<T extends Float32Array | Float64Array>(
  values: T,
  count: number,
  name: string,
  field: string,
): T {
  if (values.length !== count) {
    throw new SEModelError(
      field,
      `tensor "${name}" has ${values.length} values, expected ${count} for its dims`,
    );
  }
  return values;
}
