import type { ModelProto, ValueInfoProto } from '../proto/onnx.js';
import type { ValueMetadata } from './types.js';

// ONNX TensorProto.DataType → onnxruntime's tensor type names (onnxruntime-common Tensor.Type).
// Types onnxruntime JS cannot hold (complex, bfloat16, float8) have no name here.
const ORT_TYPES: Readonly<Record<number, string>> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  21: 'uint4',
  22: 'int4',
};

function metadataOf(name: string, info: ValueInfoProto | undefined): ValueMetadata {
  const tensor = info?.type?.tensorType;
  // Undeclared (no value info): assumed a tensor, of unknown type and shape.
  if (!tensor) return { name, isTensor: !info?.type, type: undefined, shape: undefined };
  const shape = tensor.shape
    ? (tensor.shape.dim ?? []).map((d) =>
        d.dimValue !== undefined && d.dimValue !== null && Number(d.dimValue) > 0
          ? Number(d.dimValue)
          : (d.dimParam ?? ''),
      )
    : undefined;
  return { name, isTensor: true, type: ORT_TYPES[tensor.elemType ?? 0], shape };
}

/**
 * What the model declares for each of `names` (its graph inputs or outputs, in the runtime's
 * order). Read from the model rather than the runtime, so every onnxruntime version (≥ 1.17)
 * and every runtime gives the same answer.
 */
export function valueMetadata(
  model: ModelProto,
  names: readonly string[],
  kind: 'input' | 'output',
): ValueMetadata[] {
  const declared = new Map(
    (kind === 'input' ? model.graph?.input : model.graph?.output)?.map((v) => [v.name ?? '', v]),
  );
  return names.map((name) => metadataOf(name, declared.get(name)));
}
