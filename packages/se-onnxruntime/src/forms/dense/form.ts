import type { GraphSink } from '../../graph/sink.js';
import type { GraphIndex } from '../../proto/graph-index.js';
import { readFloatTensor } from '../../proto/tensors.js';
import type { Matched } from '../match.js';
import type { VectorShape } from '../vector.js';

/** One fully connected step `inputs → outputs` of a block, canonical weight [outputs, inputs]. */
export interface DenseLayer {
  readonly weight: ArrayLike<number>;
  readonly bias: ArrayLike<number> | undefined;
  readonly inputs: number;
  readonly outputs: number;
  /** se-core tensor names of the weight and bias (`fc1.weight`, `fc1.bias`). */
  readonly weightTensor: string;
  readonly biasTensor: string;
  /** Node name hint (`fc1`). */
  readonly hint: string;
}

/** A dense layer read from a graph. */
export interface DenseMatch {
  /** Canonical [outputs, inputs] row-major. */
  readonly weight: Float32Array | Float64Array;
  readonly bias: Float32Array | Float64Array | undefined;
  readonly inputs: number;
  readonly outputs: number;
  /** Initializer name of the weight (gives the block its name). */
  readonly weightName: string;
}

/** One way of writing a dense layer, and of recognising it: emit and match side by side. */
export interface DenseForm {
  /** The vector shape it reads and writes. */
  readonly shape: VectorShape;
  emit(sink: GraphSink, input: string, layer: DenseLayer): string;
  match(index: GraphIndex, tensor: string): Matched<DenseMatch> | undefined;
}

/** The weight tensor's own name: through Identity to the initializer PyTorch named after the module. */
export function weightName(index: GraphIndex, tensor: string): string {
  return index.constant(tensor)?.name ?? tensor;
}

/** A bias of `length` values; undefined when there is none, null when it is not a bias of this layer. */
export function biasValues(
  index: GraphIndex,
  tensor: string | undefined,
  length: number,
): Float32Array | Float64Array | undefined | null {
  if (!tensor) return undefined;
  const t = index.constant(tensor);
  if (!t) return null;
  const values = readFloatTensor(t, 'bias');
  return values.length === length ? values : null;
}

/** Row-major [rows, cols] → [cols, rows], keeping the array type. */
export function transposed<T extends Float32Array | Float64Array>(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  make: new (length: number) => T,
): T {
  const out = new make(values.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c] as number;
  return out;
}

/** `transposed` for values read from a graph, whose type (float32 or float64) it keeps. */
export function transposedRead(
  values: Float32Array | Float64Array,
  rows: number,
  cols: number,
): Float32Array | Float64Array {
  return values instanceof Float64Array
    ? transposed(values, rows, cols, Float64Array)
    : transposed(values, rows, cols, Float32Array);
}
