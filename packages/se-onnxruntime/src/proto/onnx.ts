// The only module that touches the protobuf classes: onnx-proto ships protobufjs
// static code generated from onnx.proto3 (ONNX 1.10, IR version 8). It is CommonJS,
// so it is imported as a default export and its namespace is taken from there.
import onnxProto from 'onnx-proto';
import { SEModelError } from '../errors.js';

export const onnx = onnxProto.onnx;
export type ModelProto = onnxProto.onnx.ModelProto;
export type GraphProto = onnxProto.onnx.IGraphProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;
export type FunctionProto = onnxProto.onnx.IFunctionProto;
export type OperatorSetIdProto = onnxProto.onnx.IOperatorSetIdProto;

export const TensorDataType = onnx.TensorProto.DataType;
export const AttributeType = onnx.AttributeProto.AttributeType;

/** The domain of the standard operators; ONNX spells it '' (and accepts 'ai.onnx'). */
export function isDefaultDomain(domain: string | null | undefined): boolean {
  return domain === undefined || domain === null || domain === '' || domain === 'ai.onnx';
}

/**
 * int64 fields decode as `Long` objects when protobufjs finds the `long` package
 * (Node), and as plain numbers when it does not (browsers): accept both.
 */
export function toNumber(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/**
 * Serialises a model into bytes that own their buffer. In Node, protobufjs writes into a
 * Buffer that can be a slice of Node's shared 8 KB pool (for models under 4 KB): copied out,
 * so `bytes.buffer` is the model and nothing else.
 */
export function encodeModel(model: onnxProto.onnx.IModelProto): Uint8Array {
  const encoded = onnx.ModelProto.encode(model).finish();
  const bytes = new Uint8Array(encoded.length);
  bytes.set(encoded);
  return bytes;
}

/** The model's opset version for the standard domain. */
export function defaultOpset(model: onnxProto.onnx.IModelProto): number {
  const entry = (model.opsetImport ?? []).find((o) => isDefaultDomain(o.domain));
  if (!entry)
    throw new SEModelError(
      'model.opset_import',
      'the model imports no version of the standard ONNX domain',
    );
  return toNumber(entry.version);
}
