import type { ExcitationKindName } from '@seblock/se-core';
import { cbamTfjs } from './cbam.js';
import { cecaTfjs } from './ceca.js';
import { ecaTfjs } from './eca.js';
import { eseTfjs } from './ese.js';
import type { TfjsExcitationKind } from './kind.js';
import { mlpTfjs } from './mlp.js';

/**
 * Every excitation kind's TF.js module. Keyed by se-core's kind names with `satisfies`, so a
 * kind added to se-core fails to compile here until it has a TF.js module: a new kind is one
 * module in this folder and one line below.
 */
export const TFJS_EXCITATION_KINDS = {
  mlp: mlpTfjs,
  ese: eseTfjs,
  cbam: cbamTfjs,
  eca: ecaTfjs,
  ceca: cecaTfjs,
} as const satisfies { readonly [K in ExcitationKindName]: TfjsExcitationKind<K> };

/** Any kind's module, as generic code sees it (it passes the kind's own spec and tensors). */
export type AnyTfjsKind = TfjsExcitationKind<ExcitationKindName>;

/** The TF.js module of kind `name` (a name se-core has already validated). */
export function tfjsKind(name: ExcitationKindName): AnyTfjsKind {
  return TFJS_EXCITATION_KINDS[name] as unknown as AnyTfjsKind;
}
