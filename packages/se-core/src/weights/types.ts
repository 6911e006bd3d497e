import type { KindWeights } from '../excitation/kind.js';
import type { SESpec, SESpecInput } from '../spec/types.js';

/**
 * The weights of one SE block by weight key, canonical layout, row-major:
 * the keys are the excitation kind's (`fc1Weight`, `fc1Bias`, `fc2Weight`,
 * `fc2Bias` for mlp and cbam; `fcWeight`, `fcBias` for ese; `convWeight` for
 * eca). `weightSlots(spec)` lists them with their shapes; each kind exports
 * its typed record (`MlpWeights`, `EseWeights`, `EcaWeights`).
 */
export type SEWeights = KindWeights;

/** A spec and its weights: everything needed to compute the block. */
export interface SEBlock {
  readonly spec: SESpec;
  readonly weights: SEWeights;
}

/** A block whose spec may be in any accepted form (version 1, defaults left out). */
export interface SEBlockInput {
  readonly spec: SESpec | SESpecInput;
  readonly weights: SEWeights;
}

/** Metadata keys of the format (see the package README). */
export const METADATA = {
  format: 'format',
  spec: 'se.spec',
  blocks: 'se.blocks',
  goldenCase: 'se.case',
} as const;
/**
 * Value of `__metadata__.format` in files we write. The container is unchanged
 * since version-1 specs (the spec inside carries its own version).
 */
export const FORMAT_NAME = 'seblock/1';
