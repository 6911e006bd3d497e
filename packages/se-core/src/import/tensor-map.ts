import { describeShape, describeValue, SEImportError } from '../errors/index.js';
import type { FloatArray } from '../weights/dtypes.js';
import type { SafetensorsDType } from '../weights/safetensors-dtypes.js';
import { readSafetensorsIndex, type SafetensorsEntry } from '../weights/safetensors-index.js';

/**
 * One named tensor from any framework: a PyTorch state_dict entry decoded from
 * safetensors, a Keras weight, or a TF.js weight (`tensor.shape`, `tensor.dataSync()`).
 */
export interface TensorLike {
  readonly shape: readonly number[];
  readonly values: FloatArray;
}

/** Name → tensor, as the importer reads it. `DecodedTensor` from decodeSafetensors fits. */
export type TensorMap = ReadonlyMap<string, TensorLike>;

/**
 * Builds a {@link TensorMap} from `{ name, shape, values }` entries, e.g. the
 * weights of a TF.js model. Fails on a duplicate name.
 *
 * @example
 * ```ts
 * const tensors = tensorMapFromEntries(model.weights.map((w) => ({
 *   name: w.originalName, shape: w.shape, values: w.read().dataSync() as Float32Array })));
 * importSEBlocks(tensors, { preset: 'keras-efficientnet' });
 * ```
 */
export function tensorMapFromEntries(
  entries: Iterable<{
    readonly name: string;
    readonly shape: readonly number[];
    readonly values: FloatArray;
  }>,
): Map<string, TensorLike> {
  const out = new Map<string, TensorLike>();
  for (const { name, shape, values } of entries) {
    if (out.has(name)) {
      throw new SEImportError(
        `tensor ${name}`,
        'each name once in the entries',
        name,
        `${describeValue(name)} twice`,
      );
    }
    out.set(name, { shape, values });
  }
  return out;
}

/** dtypes whose values are floats (decoded to Float32Array or Float64Array): what SE weights may be. */
const FLOAT_VALUE_DTYPES: ReadonlySet<SafetensorsDType> = new Set([
  'F16',
  'BF16',
  'F32',
  'F64',
  'F8_E4M3',
  'F8_E5M2',
  'F8_E8M0',
]);

/** A tensor of a safetensors file, as the importer reads it: values decode on first read. */
export interface FileTensor extends TensorLike {
  readonly dtype: SafetensorsDType;
}

/**
 * An index entry as a {@link FileTensor}: the importer reads only the tensors
 * of SE blocks, so the rest of a checkpoint (its convolutions, its int64
 * BatchNorm counters) is never decoded. A tensor of a non-float dtype throws
 * SEImportError when its values are read, naming the tensor.
 */
function lazyTensor(entry: SafetensorsEntry): FileTensor {
  let values: FloatArray | undefined;
  return {
    dtype: entry.dtype,
    shape: entry.shape,
    get values(): FloatArray {
      if (values === undefined) {
        if (!FLOAT_VALUE_DTYPES.has(entry.dtype)) {
          throw new SEImportError(
            `tensor ${entry.name}.dtype`,
            `a float dtype (${[...FLOAT_VALUE_DTYPES].join(', ')}) for a weight of an SE block`,
            entry.dtype,
          );
        }
        values = entry.decode() as FloatArray;
      }
      return values;
    },
  };
}

/**
 * The tensors of safetensors bytes as a {@link TensorMap} (plus their dtype):
 * {@link readSafetensorsIndex} checks the whole container and accepts every
 * dtype, and values decode only when read.
 */
export function readSafetensorsTensors(bytes: Uint8Array): {
  tensors: ReadonlyMap<string, FileTensor>;
  metadata: Readonly<Record<string, string>>;
} {
  const { tensors, metadata } = readSafetensorsIndex(bytes);
  const lazy = new Map<string, FileTensor>();
  for (const [name, entry] of tensors) lazy.set(name, lazyTensor(entry));
  return { tensors: lazy, metadata };
}

/**
 * The tensors and (for safetensors bytes) the file metadata of the importer's
 * input; bytes are read with {@link readSafetensorsTensors}.
 */
export function readImportInput(input: TensorMap | Uint8Array): {
  tensors: TensorMap;
  metadata: Readonly<Record<string, string>>;
} {
  if (input instanceof Uint8Array) return readSafetensorsTensors(input);
  if (!(input instanceof Map)) {
    throw new SEImportError(
      'tensors',
      'safetensors bytes (Uint8Array) or a Map of name → { shape, values }',
      input,
    );
  }
  return { tensors: input, metadata: {} };
}

/** A tensor the importer is about to use, checked: float values matching a valid shape, all finite. */
export function checkedTensor(tensors: TensorMap, name: string): TensorLike {
  const tensor = tensors.get(name);
  const field = `tensor ${name}`;
  if (typeof tensor !== 'object' || tensor === null) {
    throw new SEImportError(field, '{ shape, values }', tensor);
  }
  const { shape, values } = tensor;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new SEImportError(`${field}.shape`, 'non-negative integers', shape);
  }
  if (!(values instanceof Float32Array || values instanceof Float64Array)) {
    throw new SEImportError(`${field}.values`, 'a Float32Array or Float64Array', values);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (values.length !== count) {
    throw new SEImportError(
      `${field}.values`,
      `${count} values for shape ${describeShape(shape)}`,
      values.length,
    );
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i] as number)) {
      throw new SEImportError(`${field}[${i}]`, 'a finite value', values[i]);
    }
  }
  return tensor;
}
