import {
  describeShape,
  describeValue,
  SEShapeError,
  SEWeightFormatError,
} from '../errors/index.js';
import type { WeightSlot } from '../excitation/kind.js';
import { kindOfSpec } from '../excitation/registry.js';
import type { SESpec, SESpecInput } from '../spec/types.js';
import { parseSESpec } from '../spec/validate.js';
import type { FloatArray } from './dtypes.js';
import type { SEWeights } from './types.js';

function isFloatArray(value: unknown): value is FloatArray {
  return value instanceof Float32Array || value instanceof Float64Array;
}

function firstNonFinite(values: FloatArray): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i] as number)) return i;
  return -1;
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Every weight slot of a spec's excitation kind, in kernel/input order, with
 * its key, tensor name, canonical shape and whether the spec has it.
 *
 * @example
 * ```ts
 * weightSlots(spec).filter((s) => s.present).map((s) => `${s.tensor} ${s.shape}`);
 * // ['fc1.weight 4,64', 'fc1.bias 4', 'fc2.weight 64,4', 'fc2.bias 64']
 * ```
 */
export function weightSlots(spec: SESpec | SESpecInput): readonly WeightSlot[] {
  const parsed = parseSESpec(spec);
  return kindOfSpec(parsed).slots(parsed.excitation, parsed.channels);
}

/**
 * Expected element count of each weight a spec has, by key.
 *
 * @example
 * ```ts
 * expectedWeightLengths(spec).fc1Weight; // reducedChannels * channels
 * ```
 */
export function expectedWeightLengths(
  spec: SESpec | SESpecInput,
): Readonly<Record<string, number>> {
  return Object.fromEntries(
    weightSlots(spec)
      .filter((slot) => slot.present)
      .map((slot) => [slot.key, count(slot.shape)]),
  );
}

/**
 * Checks that weights fit a spec: exactly the keys of its excitation kind,
 * arrays of the right lengths, optional weights (biases) present exactly when
 * the spec has them, all values finite. Throws {@link SEShapeError} for keys
 * and sizes and {@link SEWeightFormatError} for values. `path` prefixes field names.
 *
 * @example
 * ```ts
 * validateSEWeights(spec, { fc1Weight, fc1Bias, fc2Weight, fc2Bias });
 * ```
 */
export function validateSEWeights(
  specInput: SESpec | SESpecInput,
  weights: SEWeights,
  path = 'weights',
): void {
  const spec = parseSESpec(specInput);
  const slots = weightSlots(spec);
  const wanted = slots.filter((s) => s.present).map((s) => s.key);
  if (typeof weights !== 'object' || weights === null) {
    throw new SEShapeError(path, `{ ${wanted.join(', ')} }`, describeValue(weights));
  }
  for (const slot of slots) checkSlot(slot, weights[slot.key], `${path}.${slot.key}`);
  for (const key of Object.keys(weights)) {
    if (weights[key] !== undefined && !slots.some((slot) => slot.key === key)) {
      throw new SEShapeError(
        `${path}.${key}`,
        `no such weight for excitation kind "${spec.excitation.kind}" (its weights: ${slots.map((s) => s.key).join(', ')})`,
        describeValue(weights[key]),
      );
    }
  }
}

function checkSlot(slot: WeightSlot, value: unknown, field: string): void {
  if (!slot.present) {
    if (value !== undefined) {
      throw new SEShapeError(field, `no such weight (${slot.absentBecause})`, describeValue(value));
    }
    return;
  }
  const length = count(slot.shape);
  if (!isFloatArray(value)) {
    throw new SEShapeError(
      field,
      `a Float32Array or Float64Array of ${length} values`,
      describeValue(value),
    );
  }
  if (value.length !== length) {
    throw new SEShapeError(
      field,
      `${length} values (${describeShape(slot.shape)} = ${slot.dims} for this spec)`,
      `${value.length} values`,
    );
  }
  const bad = firstNonFinite(value);
  if (bad >= 0) {
    throw new SEWeightFormatError(
      `${field}[${bad}]`,
      `expected a finite value, received ${value[bad]}`,
    );
  }
}
