import type { Activation } from '@seblock/se-core';
import type { GraphSink } from '../../graph/sink.js';
import type { GraphIndex } from '../../proto/graph-index.js';
import type { Matched } from '../match.js';
import { emitNaNGuard, matchNaNGuard, type NaNGuard } from '../nan-guard.js';
import type { ActivationForm, ActivationFormMatch, ErfForm } from './form.js';
import { geluForm } from './gelu.js';
import { hardswishForm } from './hardswish.js';
import { reluForm } from './relu.js';
import { relu6Form } from './relu6.js';
import { siluForm } from './silu.js';

/** Every activation of se-core's spec, each with its forms: the compiler fails until a new one has them. */
export const ACTIVATION_FORMS = {
  relu: reluForm,
  relu6: relu6Form,
  silu: siluForm,
  gelu: geluForm,
  hardswish: hardswishForm,
} satisfies Record<Activation, ActivationForm>;

/** Writes `activation` of `z` (NaN-guarded with nanGuard 'all'); returns its output. */
export function emitActivation(
  sink: GraphSink,
  z: string,
  activation: Activation,
  erf: ErfForm = 'op',
  nanGuard: NaNGuard = 'max',
): string {
  const h = ACTIVATION_FORMS[activation].emit(sink, z, erf);
  return nanGuard === 'all' ? emitNaNGuard(sink, z, h, 'act_nan') : h;
}

/** Which activation produces `tensor`, in any of its forms, NaN-guarded or not. */
export function matchActivation(
  index: GraphIndex,
  tensor: string,
): Matched<ActivationFormMatch & { readonly activation: Activation }> | undefined {
  const guard = matchNaNGuard(index, tensor);
  for (const [activation, form] of Object.entries(ACTIVATION_FORMS) as [
    Activation,
    ActivationForm,
  ][]) {
    const found = form.match(index, guard?.value ?? tensor);
    if (!found || (guard && found.input !== guard.source)) continue;
    return {
      value: { ...found.value, activation },
      input: found.input,
      nodes: [...(guard?.nodes ?? []), ...found.nodes],
    };
  }
  return undefined;
}
