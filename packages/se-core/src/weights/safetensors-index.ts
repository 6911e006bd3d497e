import {
  decodeTensorBytes,
  SAFETENSORS_DTYPES,
  type SafetensorsDType,
  type SafetensorsValuesByDType,
} from './safetensors-dtypes.js';
import { type HeaderEntry, parseSafetensorsHeader } from './safetensors-header.js';

/** One tensor of a safetensors file whose dtype is `D`, not decoded yet. */
export interface SafetensorsEntryOf<D extends SafetensorsDType> {
  readonly name: string;
  readonly dtype: D;
  readonly shape: readonly number[];
  /** `[begin, end)` byte offsets inside the data section, as the header states them. */
  readonly dataOffsets: readonly [number, number];
  /**
   * Decodes the values: a fresh copy on every call, never a view of the file's
   * bytes (see {@link SafetensorsValuesByDType} for the array of each dtype).
   * It reads the bytes given to {@link readSafetensorsIndex} when called, so
   * keep them unchanged until then. Throws SEWeightFormatError for packed
   * F4/F6 tensors and for a BOOL byte other than 0 or 1.
   */
  decode(): SafetensorsValuesByDType[D];
}

/** One tensor of a safetensors file; narrow on `dtype` to type what `decode()` returns. */
export type SafetensorsEntry = { [D in SafetensorsDType]: SafetensorsEntryOf<D> }[SafetensorsDType];

/** The tensor list and metadata of a safetensors file. */
export interface SafetensorsIndex {
  /** Name → entry. */
  readonly tensors: ReadonlyMap<string, SafetensorsEntry>;
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Lists the tensors of any safetensors file (a PyTorch state_dict with its
 * int64 `num_batches_tracked`, a quantised checkpoint…) without decoding
 * them: every dtype of the format is accepted, and the whole container is
 * checked up front as strictly as {@link decodeSafetensors} does (bounded
 * header, no duplicate key, every entry's shape matching its offsets, tensors
 * tiling the data). Decoding is per tensor, on demand, so listing a 100 MB
 * checkpoint costs its header. Throws SEWeightFormatError naming the field.
 *
 * @example
 * ```ts
 * const { tensors } = readSafetensorsIndex(stateDictBytes);
 * for (const entry of tensors.values()) console.log(entry.name, entry.dtype, entry.shape);
 * const steps = tensors.get('bn1.num_batches_tracked');
 * if (steps?.dtype === 'I64') steps.decode(); // BigInt64Array
 * ```
 */
export function readSafetensorsIndex(bytes: Uint8Array): SafetensorsIndex {
  const { entries, metadata, dataStart } = parseSafetensorsHeader(bytes, {
    dtypes: SAFETENSORS_DTYPES,
  });
  const tensors = new Map<string, SafetensorsEntry>();
  for (const entry of entries) {
    tensors.set(entry.name, new IndexEntry(entry, bytes, dataStart) as SafetensorsEntry);
  }
  return { tensors, metadata };
}

/** A class, not an object with a closure: a header may list 100 000 tensors. */
class IndexEntry {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  readonly dataOffsets: readonly [number, number];
  readonly #bytes: Uint8Array;
  readonly #dataStart: number;
  constructor(entry: HeaderEntry, bytes: Uint8Array, dataStart: number) {
    this.name = entry.name;
    this.dtype = entry.dtype;
    this.shape = entry.shape;
    this.dataOffsets = [entry.begin, entry.end];
    this.#bytes = bytes;
    this.#dataStart = dataStart;
  }
  decode() {
    const [begin, end] = this.dataOffsets;
    const raw = this.#bytes.subarray(this.#dataStart + begin, this.#dataStart + end);
    return decodeTensorBytes(raw, this.dtype, `tensor ${this.name}`);
  }
}
