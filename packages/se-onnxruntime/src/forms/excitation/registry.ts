import type { ExcitationKindName, KindBlock } from '@seblock/se-core';
import { cbamForm } from './cbam.js';
import { cecaForm } from './ceca.js';
import { ecaForm } from './eca.js';
import { eseForm } from './ese.js';
import type { ExcitationForm } from './form.js';
import { mlpForm } from './mlp.js';

/**
 * The ONNX form of every excitation kind of se-core, by kind: the compiler fails until a kind
 * added to se-core's registry has one here (one module and one line). extractSE tries them in
 * this order: eca before ese, whose 1×1 dense layer of one channel has ECA's k = 1 weight, and
 * before ceca, whose k = 1 graph is eca's (the same function).
 */
export const EXCITATION_FORMS = {
  mlp: mlpForm,
  eca: ecaForm,
  ceca: cecaForm,
  ese: eseForm,
  cbam: cbamForm,
} satisfies { readonly [K in ExcitationKindName]: ExcitationForm<K> };

/** The form of a block's kind, typed for it. */
export function excitationFormOf<K extends ExcitationKindName>(
  block: KindBlock<K>,
): ExcitationForm<K> {
  return (EXCITATION_FORMS as unknown as Record<ExcitationKindName, ExcitationForm<K>>)[block.kind];
}

/** Every kind's form, in registry order (extractSE tries them in turn). */
export const EXCITATION_FORM_LIST = Object.values(
  EXCITATION_FORMS,
) as readonly ExcitationForm<ExcitationKindName>[];
