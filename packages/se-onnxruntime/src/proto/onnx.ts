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
 * Decodes and sanity-checks ONNX model bytes. Protobuf is lenient (random bytes
 * often decode to an empty message), so a model must also have a graph and an
 * opset import to be accepted. The caller's bytes are copied first: protobufjs
 * returns `bytes` fields as views of its input, and nothing we return may alias it.
 */
export function decodeModel(bytes: Uint8Array, field = 'model'): ModelProto {
  if (!(bytes instanceof Uint8Array)) {
    throw new SEModelError(
      field,
      `expected ONNX model bytes (Uint8Array), received ${typeof bytes}`,
    );
  }
  if (bytes.length === 0)
    throw new SEModelError(field, 'expected ONNX model bytes, received 0 bytes');
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes.slice());
  } catch (error) {
    throw new SEModelError(
      field,
      `not a valid ONNX ModelProto (${bytes.length} bytes): ${(error as Error).message}`,
    );
  }
  if (!model.graph || toNumber(model.irVersion) < 3 || model.opsetImport.length === 0) {
    throw new SEModelError(
      field,
      `not a valid ONNX ModelProto (${bytes.length} bytes): ir_version ${toNumber(model.irVersion)}, ` +
        `${model.opsetImport.length} opset imports, ${model.graph ? 'with' : 'no'} graph`,
    );
  }
  return model;
}

/** Serialises a model. */
export function encodeModel(model: onnxProto.onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
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
