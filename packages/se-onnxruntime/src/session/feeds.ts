import { describeValue, SEShapeError } from '@seblock/se-core';
import { SEModelError } from '../errors.js';
import type { OrtTensorLike } from './runtime.js';
import type { ValueMetadata } from './types.js';

const describeDims = (dims: readonly (number | string)[]) =>
  `[${dims.map((d) => (d === '' ? '?' : d)).join(', ')}]`;

function listNames(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ') || 'none';
}

/** A tensor as far as the checks need one: a type name and integer dims. */
function isTensorLike(value: unknown): value is OrtTensorLike {
  const v = value as Partial<OrtTensorLike> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.type === 'string' &&
    Array.isArray(v.dims) &&
    v.dims.every((d) => Number.isInteger(d) && d >= 0)
  );
}

/** A session's own check of one input's dims (an SE session: channels and layout), run first. */
export type InputCheck = (input: string, dims: readonly number[], field: string) => void;

/**
 * Checks feeds against the model's inputs before onnxruntime sees them, so that a bad feed
 * is a typed error naming the input instead of the runtime's own message ("Got invalid
 * dimensions for input …"): every input present and nothing else, each a tensor of the
 * declared type and rank, fixed dims equal, and a symbolic dim ('N') the same in every input.
 */
export function checkFeeds(
  feeds: unknown,
  inputs: readonly ValueMetadata[],
  checkInput?: InputCheck,
): void {
  const names = inputs.map((i) => i.name);
  if (typeof feeds !== 'object' || feeds === null || Array.isArray(feeds) || isTensorLike(feeds)) {
    throw new SEModelError(
      'feeds',
      `expected an object from input name to tensor (inputs: ${listNames(names)}), received ${isTensorLike(feeds) ? 'a tensor: pass { name: tensor }' : describeValue(feeds)}`,
    );
  }
  const record = feeds as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!names.includes(key))
      throw new SEModelError(
        `feeds.${key}`,
        `the model has no input "${key}"; its inputs: ${listNames(names)}`,
      );
  }
  const symbols = new Map<string, { size: number; input: string }>();
  for (const input of inputs) {
    const field = `feeds.${input.name}`;
    const feed = record[input.name];
    const declared = `${input.type ?? 'tensor'}${input.shape ? ` ${describeDims(input.shape)}` : ''}`;
    if (feed === undefined)
      throw new SEModelError(
        'feeds',
        `missing input "${input.name}" (${declared}); inputs: ${listNames(names)}`,
      );
    if (!isTensorLike(feed))
      throw new SEShapeError(field, `an onnxruntime Tensor (${declared})`, feed);
    if (input.type !== undefined && feed.type !== input.type)
      throw new SEShapeError(
        field,
        `a ${declared} tensor`,
        `${feed.type} ${describeDims(feed.dims)}`,
      );
    checkInput?.(input.name, feed.dims, field);
    const shape = input.shape;
    if (!shape) continue;
    if (feed.dims.length !== shape.length)
      throw new SEShapeError(
        field,
        `rank ${shape.length} ${describeDims(shape)}`,
        `rank ${feed.dims.length} ${describeDims(feed.dims)}`,
      );
    shape.forEach((dim, axis) => {
      const size = feed.dims[axis] as number;
      if (typeof dim === 'number' && size !== dim)
        throw new SEShapeError(
          field,
          `${describeDims(shape)} (dim ${axis} is fixed at ${dim})`,
          describeDims(feed.dims),
        );
      if (typeof dim !== 'string' || dim === '') return;
      const seen = symbols.get(dim);
      if (seen && seen.size !== size)
        throw new SEShapeError(
          field,
          `dim ${axis} ("${dim}") equal to "${dim}" of input "${seen.input}", ${seen.size}`,
          `${describeDims(feed.dims)} (${size})`,
        );
      symbols.set(dim, { size, input: input.name });
    });
    checkLength(feed, field);
  }
}

/** A CPU tensor's data holds exactly the values its dims call for (a plain object may not). */
function checkLength(feed: OrtTensorLike, field: string): void {
  // Reading `data` of a GPU-located tensor throws in onnxruntime: only CPU tensors are checked.
  if (feed.location !== undefined && feed.location !== 'cpu') return;
  const length = (feed.data as { length?: unknown } | null)?.length;
  const count = feed.dims.reduce((a, b) => a * b, 1);
  if (typeof length === 'number' && length !== count)
    throw new SEShapeError(
      field,
      `${count} values for dims ${describeDims(feed.dims)}`,
      `${length} values`,
    );
}

/** Checks `fetches` (output names to compute) and returns them; all outputs by default. */
export function checkFetches(fetches: unknown, outputNames: readonly string[]): readonly string[] {
  if (fetches === undefined) return outputNames;
  if (
    !Array.isArray(fetches) ||
    fetches.length === 0 ||
    !fetches.every((f) => typeof f === 'string' && outputNames.includes(f))
  ) {
    throw new SEModelError(
      'fetches',
      `expected a non-empty array of output names (${listNames(outputNames)}), received ${describeValue(fetches)}`,
    );
  }
  return fetches;
}
