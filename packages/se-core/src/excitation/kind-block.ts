import type { SESpecOfKind } from '../spec/types.js';
import { parseSESpec } from '../spec/validate.js';
import type { SEBlockInput } from '../weights/types.js';
import { validateSEWeights } from '../weights/validate.js';
import type { ExcitationKindName, ExcitationSpecOf, ExcitationWeightsOf } from './registry.js';

/**
 * A validated block with its kind on top, so `switch (block.kind)` narrows the
 * spec, the excitation and the weights together (a nested `spec.excitation.kind`
 * cannot narrow `weights`).
 */
export type KindBlock<K extends ExcitationKindName = ExcitationKindName> =
  K extends ExcitationKindName
    ? {
        readonly kind: K;
        readonly spec: SESpecOfKind<K>;
        readonly excitation: ExcitationSpecOf<K>;
        readonly weights: ExcitationWeightsOf<K>;
      }
    : never;

/** One function per excitation kind: the compiler fails until every kind has one. */
export type KindHandlers<R> = { readonly [K in ExcitationKindName]: (block: KindBlock<K>) => R };

/**
 * Validates a block (spec and weights) and returns it with its kind on top.
 *
 * @example
 * ```ts
 * const block = kindBlock({ spec, weights });
 * if (block.kind === 'eca') console.log(block.excitation.kernelSize, block.weights.convWeight);
 * ```
 */
export function kindBlock(block: SEBlockInput): KindBlock {
  const spec = parseSESpec(block.spec);
  validateSEWeights(spec, block.weights);
  return {
    kind: spec.excitation.kind,
    spec,
    excitation: spec.excitation,
    weights: block.weights,
  } as KindBlock;
}

/**
 * Calls the handler of the block's excitation kind with the block typed for
 * that kind. Adapters use it so that a new kind fails to compile until they
 * implement it.
 *
 * @example
 * ```ts
 * const params = byExcitationKind(block, {
 *   mlp: (b) => b.weights.fc1Weight.length + b.weights.fc2Weight.length,
 *   cbam: (b) => b.weights.fc1Weight.length + b.weights.fc2Weight.length,
 *   ese: (b) => b.weights.fcWeight.length,
 *   eca: (b) => b.weights.convWeight.length,
 * });
 * ```
 */
export function byExcitationKind<R>(block: SEBlockInput, handlers: KindHandlers<R>): R {
  const typed = kindBlock(block);
  return (handlers[typed.kind] as (block: KindBlock) => R)(typed);
}
