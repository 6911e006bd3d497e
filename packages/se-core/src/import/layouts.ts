import { describeShape, SEImportError } from '../errors/index.js';
import type { FloatArray } from '../weights/dtypes.js';

/**
 * How a framework stores the weight of a fully connected step `in → out`
 * (SPEC.md, "Weight layouts of other frameworks"). Canonical is `oi`: [out, in], row-major.
 * - `oihw`: PyTorch / Caffe / ONNX Conv 1×1, [out, in, 1, 1] (same bytes as `oi`).
 * - `oi`: PyTorch Linear, ONNX Gemm transB=1, [out, in].
 * - `hwio`: TF / Keras / TF.js Conv2D, [1, 1, in, out].
 * - `io`: Keras / TF.js Dense, ONNX MatMul, [in, out].
 */
export type WeightLayout = 'oihw' | 'oi' | 'hwio' | 'io';
export const WEIGHT_LAYOUTS: readonly WeightLayout[] = ['oihw', 'oi', 'hwio', 'io'];

/** Rank of a weight stored in `layout`. */
export function layoutRank(layout: WeightLayout): number {
  return layout === 'oihw' || layout === 'hwio' ? 4 : 2;
}

/** The stored shape of an `in → out` weight in `layout`. */
export function layoutShape(layout: WeightLayout, out: number, inChannels: number): number[] {
  switch (layout) {
    case 'oihw':
      return [out, inChannels, 1, 1];
    case 'oi':
      return [out, inChannels];
    case 'hwio':
      return [1, 1, inChannels, out];
    case 'io':
      return [inChannels, out];
  }
}

/** A shape with named dims, for messages: `symbolicShape('hwio', 'rd', 'C')` is `[1, 1, C, rd]`. */
export function symbolicShape(layout: WeightLayout, out: string, inChannels: string): string {
  switch (layout) {
    case 'oihw':
      return `[${out}, ${inChannels}, 1, 1]`;
    case 'oi':
      return `[${out}, ${inChannels}]`;
    case 'hwio':
      return `[1, 1, ${inChannels}, ${out}]`;
    case 'io':
      return `[${inChannels}, ${out}]`;
  }
}

/** Output and input widths of a weight of `shape` in `layout`, checking the 1×1 kernel. */
export function layoutDims(
  layout: WeightLayout,
  shape: readonly number[],
  tensorName: string,
): { out: number; in: number } {
  const [a = 0, b = 0, c = 0, d = 0] = shape;
  if (shape.length !== layoutRank(layout)) {
    throw new SEImportError(
      `tensor ${tensorName}.shape`,
      `rank ${layoutRank(layout)} (${layout} layout)`,
      shape,
      describeShape(shape),
    );
  }
  if (layout === 'oihw' && (c !== 1 || d !== 1)) {
    // A squeezed map is 1×1, so the excitation can only be a 1×1 convolution.
    throw new SEImportError(
      `tensor ${tensorName}.shape`,
      'a 1×1 kernel [out, in, 1, 1]',
      shape,
      describeShape(shape),
    );
  }
  if (layout === 'hwio' && (a !== 1 || b !== 1)) {
    throw new SEImportError(
      `tensor ${tensorName}.shape`,
      'a 1×1 kernel [1, 1, in, out]',
      shape,
      describeShape(shape),
    );
  }
  switch (layout) {
    case 'oihw':
    case 'oi':
      return { out: a, in: b };
    case 'hwio':
      return { out: d, in: c };
    case 'io':
      return { out: b, in: a };
  }
}

function transpose(values: FloatArray, rows: number, cols: number): FloatArray {
  const out = new (values.constructor as new (n: number) => FloatArray)(values.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c] as number;
  }
  return out;
}

/**
 * Converts an `in → out` weight from `layout` to canonical [out, in] (a new array
 * of the same element type).
 *
 * @example
 * ```ts
 * // Keras Conv2D kernel [1, 1, C=2, rd=1] → canonical [1, 2]
 * toCanonicalWeight(new Float32Array([3, 4]), 'hwio', 1, 2); // Float32Array [3, 4]
 * ```
 */
export function toCanonicalWeight(
  values: FloatArray,
  layout: WeightLayout,
  out: number,
  inChannels: number,
): FloatArray {
  // [1, 1, in, out] holds the same bytes as [in, out]; both need a transpose.
  if (layout === 'hwio' || layout === 'io') return transpose(values, inChannels, out);
  return values.slice();
}

/**
 * Converts a canonical [out, in] weight to `layout` (inverse of {@link toCanonicalWeight}).
 *
 * @example
 * ```ts
 * fromCanonicalWeight(new Float32Array([1, 2, 3, 4, 5, 6]), 'io', 2, 3); // [3, 2]: 1 4 2 5 3 6
 * ```
 */
export function fromCanonicalWeight(
  values: FloatArray,
  layout: WeightLayout,
  out: number,
  inChannels: number,
): FloatArray {
  if (layout === 'hwio' || layout === 'io') return transpose(values, out, inChannels);
  return values.slice();
}
