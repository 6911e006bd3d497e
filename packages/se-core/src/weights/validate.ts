import { describeValue, SEShapeError, SEWeightFormatError } from '../errors/index.js';
import type { SESpec } from '../spec/types.js';
import type { FloatArray } from './dtypes.js';
import type { SEWeights } from './types.js';

function isFloatArray(value: unknown): value is FloatArray {
  return value instanceof Float32Array || value instanceof Float64Array;
}

function firstNonFinite(values: FloatArray): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i] as number)) return i;
  return -1;
}

/** Expected element counts of each canonical weight for a spec. */
export function expectedWeightLengths(spec: SESpec) {
  return {
    fc1Weight: spec.reducedChannels * spec.channels,
    fc1Bias: spec.reducedChannels,
    fc2Weight: spec.channels * spec.reducedChannels,
    fc2Bias: spec.channels,
  } as const;
}

/**
 * Checks that weights fit a spec: arrays of the right lengths, biases present
 * exactly when `spec.bias`, all values finite. Throws {@link SEShapeError} for
 * sizes and {@link SEWeightFormatError} for values. `path` prefixes field names.
 */
export function validateSEWeights(spec: SESpec, weights: SEWeights, path = 'weights'): void {
  if (typeof weights !== 'object' || weights === null) {
    throw new SEShapeError(
      path,
      '{ fc1Weight, fc2Weight, fc1Bias?, fc2Bias? }',
      describeValue(weights),
    );
  }
  const lengths = expectedWeightLengths(spec);
  for (const key of ['fc1Weight', 'fc1Bias', 'fc2Weight', 'fc2Bias'] as const) {
    const value = weights[key];
    const isBias = key.endsWith('Bias');
    if (isBias && !spec.bias) {
      if (value !== undefined) {
        throw new SEShapeError(
          `${path}.${key}`,
          'no bias (spec.bias is false)',
          describeValue(value),
        );
      }
      continue;
    }
    if (!isFloatArray(value)) {
      throw new SEShapeError(
        `${path}.${key}`,
        `a Float32Array or Float64Array of ${lengths[key]} values`,
        describeValue(value),
      );
    }
    if (value.length !== lengths[key]) {
      const dims =
        key === 'fc1Weight'
          ? `[${spec.reducedChannels}, ${spec.channels}]`
          : key === 'fc2Weight'
            ? `[${spec.channels}, ${spec.reducedChannels}]`
            : `[${lengths[key]}]`;
      throw new SEShapeError(
        `${path}.${key}`,
        `${lengths[key]} values (${dims} for this spec)`,
        `${value.length} values`,
      );
    }
    const bad = firstNonFinite(value);
    if (bad >= 0) {
      throw new SEWeightFormatError(
        `${path}.${key}[${bad}]`,
        `expected a finite value, received ${value[bad]}`,
      );
    }
  }
}
