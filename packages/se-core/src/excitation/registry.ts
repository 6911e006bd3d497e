import { SESpecError } from '../errors/index.js';
import { cbamKind } from './cbam.js';
import { cecaKind } from './ceca.js';
import { ecaKind } from './eca.js';
import { eseKind } from './ese.js';
import type { ExcitationKindModule, KindWeights } from './kind.js';
import { mlpKind } from './mlp.js';

/**
 * Every excitation kind, by name (SPEC.md, "Excitation kinds"). Adding a kind
 * is one module and one line here; the types below, the spec parser, the
 * weight format, the reference, the importer and the JSON schema follow.
 */
export const EXCITATION_KINDS = {
  mlp: mlpKind,
  ese: eseKind,
  cbam: cbamKind,
  eca: ecaKind,
  ceca: cecaKind,
} as const;

// Each kind module's public API (its spec, weights and helpers types) is the package's.
export * from './cbam.js';
export * from './ceca.js';
export * from './eca.js';
export * from './ese.js';
export * from './mlp.js';

export type ExcitationKindName = keyof typeof EXCITATION_KINDS;
export const EXCITATION_KIND_NAMES = Object.keys(EXCITATION_KINDS) as ExcitationKindName[];

/** The module of kind `K`, with its literal convention and preset names. */
export type ExcitationKindModuleOf<K extends ExcitationKindName> = (typeof EXCITATION_KINDS)[K];

/** The normalised excitation spec of kind `K` (e.g. `MlpExcitation`). */
export type ExcitationSpecOf<K extends ExcitationKindName> = ReturnType<
  ExcitationKindModuleOf<K>['parse']
>;
/** The excitation of kind `K` as users may write it (defaults left out). */
export type ExcitationInputOf<K extends ExcitationKindName> = Parameters<
  ExcitationKindModuleOf<K>['parse']
>[0];
/** The weights record of kind `K` (e.g. `MlpWeights`). */
export type ExcitationWeightsOf<K extends ExcitationKindName> = Parameters<
  ExcitationKindModuleOf<K>['logits']
>[1];

/** Any normalised excitation spec: a union discriminated by `kind`. */
export type ExcitationSpec = ExcitationSpecOf<ExcitationKindName>;
/** Any excitation as users may write it. */
export type ExcitationInput = ExcitationInputOf<ExcitationKindName>;

/** A kind module seen by generic code, which passes it its own spec and validated weights. */
export type AnyExcitationKind = ExcitationKindModule<ExcitationSpec, ExcitationInput, KindWeights>;

/**
 * The module of kind `name`; SESpecError naming `field` for an unknown kind.
 *
 * @example
 * ```ts
 * excitationKind('mlp').squeezeModes; // ['avg', 'max', 'avgmax']
 * ```
 */
export function excitationKind(name: unknown, field = 'spec.excitation.kind'): AnyExcitationKind {
  if (typeof name !== 'string' || !Object.hasOwn(EXCITATION_KINDS, name)) {
    throw new SESpecError(
      field,
      `one of ${EXCITATION_KIND_NAMES.map((k) => `"${k}"`).join(' | ')}`,
      name,
    );
  }
  return EXCITATION_KINDS[name as ExcitationKindName] as unknown as AnyExcitationKind;
}

/** The kind module of a normalised spec (typed structurally: the spec types derive from this registry). */
export function kindOfSpec(spec: {
  readonly excitation: { readonly kind: string };
}): AnyExcitationKind {
  return excitationKind(spec.excitation.kind);
}
