import { describeShape, SEImportError } from '../errors/index.js';
import type { NamingConvention } from '../excitation/kind.js';
import type { FloatArray } from '../weights/dtypes.js';
import {
  layoutDims,
  layoutRank,
  symbolicShape,
  toCanonicalWeight,
  type WeightLayout,
} from './layouts.js';
import { checkedTensor, type TensorLike, type TensorMap } from './tensor-map.js';

// Helpers the kinds' readers share: read a matrix in one of a convention's
// layouts, read a vector of a known length, report a missing tensor.

/** How a message shows the `received` of a tensor that is not in the input. */
export const MISSING_TENSOR = 'nothing: the tensor is missing';

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The convention's layout for a weight of this rank, if any. */
export function layoutForRank(
  convention: NamingConvention,
  rank: number,
): WeightLayout | undefined {
  return convention.layouts.find((layout) => layoutRank(layout) === rank);
}

/** `[rd, C, 1, 1] (oihw) or …`, for messages. */
export function storedShapes(
  convention: NamingConvention,
  out: string,
  inChannels: string,
): string {
  return convention.layouts
    .map((layout) => `${symbolicShape(layout, out, inChannels)} (${layout})`)
    .join(' or ');
}

/** A matrix weight `in → out` read in its layout, with its widths, converted to canonical [out, in]. */
export interface ReadMatrix {
  readonly name: string;
  readonly tensor: TensorLike;
  readonly layout: WeightLayout;
  readonly out: number;
  readonly in: number;
  readonly values: FloatArray;
}

/** Reads `name` as a matrix in the layout its rank selects; undefined when no layout has its rank. */
export function readMatrix(
  tensors: TensorMap,
  convention: NamingConvention,
  name: string,
): ReadMatrix | undefined {
  const rawShape = tensors.get(name)?.shape;
  const layout = Array.isArray(rawShape) ? layoutForRank(convention, rawShape.length) : undefined;
  if (!layout) return undefined;
  const tensor = checkedTensor(tensors, name);
  const { out, in: inChannels } = layoutDims(layout, tensor.shape, name);
  if (out < 1 || inChannels < 1) {
    throw new SEImportError(
      `tensor ${name}.shape`,
      'non-zero channels',
      tensor.shape,
      describeShape(tensor.shape),
    );
  }
  return {
    name,
    tensor,
    layout,
    out,
    in: inChannels,
    values: toCanonicalWeight(tensor.values, layout, out, inChannels),
  };
}

/** A copy of the vector `name`, which must have shape [length]. */
export function readVector(tensors: TensorMap, name: string, length: number): FloatArray {
  const tensor = checkedTensor(tensors, name);
  if (!sameShape(tensor.shape, [length])) {
    throw new SEImportError(
      `tensor ${name}.shape`,
      `[${length}] for this block`,
      tensor.shape,
      describeShape(tensor.shape),
    );
  }
  return tensor.values.slice();
}

/** The full tensor name of `name` (a name of the convention) under `prefix`. */
export function conventionTensorName(
  convention: NamingConvention,
  prefix: string,
  name: string,
): string {
  return prefix === '' ? name : `${prefix}${convention.separator}${name}`;
}
