import { ERF_FORMS } from './activation/form.js';
import type { FormChoice } from './block.js';
import { FULLY_CONNECTED_OPS } from './dense/registry.js';
import { NAN_GUARDS } from './nan-guard.js';
import { SQUEEZE_OPS } from './pool/registry.js';

/** The form options (build options that choose how a stage is written). */
export type FormOption = Exclude<keyof FormChoice, 'layout' | 'expandScaleTo'>;

/**
 * Every value of every form option, from the form registries: what buildSEModel accepts and
 * what the round-trip test (test/forms.test.ts) builds and reads back, case by case.
 */
export const FORM_OPTION_VALUES = {
  squeezeOp: SQUEEZE_OPS,
  fullyConnected: FULLY_CONNECTED_OPS,
  erf: ERF_FORMS,
  nanGuard: NAN_GUARDS,
} as const satisfies { readonly [O in FormOption]: readonly FormChoice[O][] };
