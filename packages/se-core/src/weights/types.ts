import type { SESpec } from '../spec/types.js';
import type { FloatArray } from './dtypes.js';

/**
 * The weights of one SE block in the canonical layout (PyTorch `Linear`):
 * `fc1Weight` is [reducedChannels, C] row-major, `fc2Weight` is [C, reducedChannels].
 * Biases are present exactly when `spec.bias` is true.
 */
export interface SEWeights {
  readonly fc1Weight: FloatArray;
  readonly fc1Bias?: FloatArray;
  readonly fc2Weight: FloatArray;
  readonly fc2Bias?: FloatArray;
}

/** A spec and its weights: everything needed to compute the block. */
export interface SEBlock {
  readonly spec: SESpec;
  readonly weights: SEWeights;
}

/** Canonical tensor names inside a weight file (prefixed by `<prefix>.` in bundles). */
export const TENSOR_NAMES = {
  fc1Weight: 'fc1.weight',
  fc1Bias: 'fc1.bias',
  fc2Weight: 'fc2.weight',
  fc2Bias: 'fc2.bias',
} as const;

/** Metadata keys of the format (see the package README). */
export const METADATA = {
  format: 'format',
  spec: 'se.spec',
  blocks: 'se.blocks',
  goldenCase: 'se.case',
} as const;
/** Value of `__metadata__.format` in files we write. */
export const FORMAT_NAME = 'seblock/1';
