import { type SESpec, SESpecError, type WeightSlot, weightSlots } from '@seblock/se-core';
import type { LayerWeight } from '../excitation/kind.js';
import { tfjsKind } from '../excitation/registry.js';

/** One variable of a SqueezeExcite layer and the se-core weight it holds. */
export interface LayerSlot extends LayerWeight {
  readonly slot: WeightSlot;
  /** The key seBlock takes it under: the kernel key for a matrix (e.g. `fc1Kernel`), else the weight key. */
  readonly key: string;
  /** True for a matrix held in TF.js' dense [in, out] layout (the transpose of the slot's shape). */
  readonly transposed: boolean;
  /** The variable's shape. */
  readonly shape: readonly number[];
}

/** The variables a SqueezeExcite layer of `spec` has, in the kind's slot order. */
export function layerSlots(spec: SESpec): LayerSlot[] {
  const kind = tfjsKind(spec.excitation.kind);
  return weightSlots(spec)
    .filter((slot) => slot.present)
    .map((slot) => {
      const weight = kind.layerWeights[slot.key];
      if (!weight) {
        throw new SESpecError(
          `spec.excitation.kind`,
          `a kind whose layer holds ${slot.key}`,
          spec.excitation.kind,
        );
      }
      const kernelKey = kind.kernelKeys[slot.key];
      return {
        ...weight,
        slot,
        key: kernelKey ?? slot.key,
        transposed: kernelKey !== undefined,
        shape: kernelKey ? [...slot.shape].reverse() : [...slot.shape],
      };
    });
}
