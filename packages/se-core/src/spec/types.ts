import type {
  ExcitationInput,
  ExcitationKindName,
  ExcitationSpec,
  ExcitationSpecOf,
} from '../excitation/registry.js';
import type { Activation, Gate, SqueezeMode } from './primitives.js';

export * from './primitives.js';

/**
 * Version 2 of the SE block spec, normalised (what files store, in this key
 * order): `y = x · gain · gate(Σ_d logits(d))` over the descriptors `d` that
 * `squeeze` gives, `logits` defined by `excitation.kind` (SPEC.md).
 *
 * @typeParam E - the excitation, when the kind is known (e.g. `EcaExcitation`).
 */
export interface SESpecV2<E extends ExcitationSpec = ExcitationSpec> {
  readonly version: 2;
  readonly channels: number;
  readonly squeeze: SqueezeMode;
  readonly excitation: E;
  readonly gate: Gate;
  /** Multiplier outside the gate (`e = gain · gate(...)`, NFNet uses 2). */
  readonly gain: number;
}

/** A version-2 spec as a user writes it: `squeeze` (the kind's default) and `gain` (1) may be left out. */
export interface SESpecV2Input {
  readonly version: 2;
  readonly channels: number;
  readonly squeeze?: SqueezeMode;
  readonly excitation: ExcitationInput;
  readonly gate: Gate;
  readonly gain?: number;
}

/**
 * Version 1 (the MLP block only): still read everywhere a spec is accepted,
 * as excitation kind `mlp` with the same tensor names.
 */
export interface SESpecV1 {
  readonly version: 1;
  readonly channels: number;
  readonly reducedChannels: number;
  readonly squeeze: 'avg' | 'max' | 'avgmax';
  readonly activation: Activation;
  readonly gate: Gate;
  readonly bias: boolean;
  readonly gain: number;
}

/** A version-1 spec as written: `gain` may be left out (it defaults to 1). */
export type SESpecV1Input = Omit<SESpecV1, 'gain'> & { readonly gain?: number };

/** The normalised spec every function returns: always version 2. */
export type SESpec = SESpecV2;
/** Every spec this release reads, as written by a user (version 2 with defaults left out, or version 1). */
export type SESpecInput = SESpecV2Input | SESpecV1Input;

/** The normalised spec of one excitation kind. */
export type SESpecOfKind<K extends ExcitationKindName> = SESpecV2<ExcitationSpecOf<K>>;

/** What `parseSESpec` returns for an input of type `I`: the kind's spec when the input names it. */
export type ParsedSpec<I> = I extends { readonly version: 1 }
  ? SESpecOfKind<'mlp'>
  : I extends { readonly excitation: { readonly kind: infer K extends ExcitationKindName } }
    ? SESpecOfKind<K>
    : SESpec;

export const SPEC_VERSIONS = [1, 2] as const;
/** The version `parseSESpec` returns and writers store. */
export const CURRENT_SPEC_VERSION = 2;
