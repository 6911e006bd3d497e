import { type ExcitationKindName, type KindBlock, SESpecError } from '@seblock/se-core';
import { cbamForm } from './cbam.js';
import { eseForm } from './ese.js';
import type { ExcitationForm } from './form.js';
import { mlpForm } from './mlp.js';

/**
 * The ONNX form of every excitation kind of se-core, by kind: the compiler fails until a kind
 * added to se-core's registry has one here (one module and one line).
 */
export const EXCITATION_FORMS = {
  mlp: mlpForm,
  ese: eseForm,
  cbam: cbamForm,
} satisfies { readonly [K in Exclude<ExcitationKindName, 'eca'>]: ExcitationForm<K> };

/** The form of a block's kind, typed for it. */
export function excitationFormOf<K extends ExcitationKindName>(
  block: KindBlock<K>,
): ExcitationForm<K> {
  const form = (EXCITATION_FORMS as Partial<Record<ExcitationKindName, ExcitationForm<K>>>)[
    block.kind
  ];
  if (!form)
    throw new SESpecError(
      'block.spec.excitation.kind',
      `one of ${Object.keys(EXCITATION_FORMS)
        .map((k) => `"${k}"`)
        .join(' | ')} (the kinds se-onnxruntime writes)`,
      block.kind,
    );
  return form;
}

/** Every kind's form, in registry order (extractSE tries them in turn). */
export const EXCITATION_FORM_LIST = Object.values(
  EXCITATION_FORMS,
) as readonly ExcitationForm<ExcitationKindName>[];
