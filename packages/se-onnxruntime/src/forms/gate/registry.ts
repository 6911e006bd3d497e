import type { Gate } from '@seblock/se-core';
import type { GraphSink } from '../../graph/sink.js';
import type { GraphIndex } from '../../proto/graph-index.js';
import type { Matched } from '../match.js';
import { emitNaNGuard, matchNaNGuard, type NaNGuard } from '../nan-guard.js';
import type { GateForm } from './form.js';
import { hardsigmoidForm } from './hardsigmoid.js';
import { sigmoidForm } from './sigmoid.js';

/** Every gate of se-core's spec: the compiler fails until a new one has its form. */
export const GATE_FORMS: { readonly [T in Gate['type']]: GateForm<T> } = {
  sigmoid: sigmoidForm,
  hardsigmoid: hardsigmoidForm,
};

/** Writes the gate of `z` (NaN-guarded with nanGuard 'all'); returns its output. */
export function emitGate(
  sink: GraphSink,
  z: string,
  gate: Gate,
  nanGuard: NaNGuard = 'max',
): string {
  const e = (GATE_FORMS[gate.type] as GateForm<Gate['type']>).emit(sink, z, gate);
  return nanGuard === 'all' ? emitNaNGuard(sink, z, e, 'gate_nan') : e;
}

/** The gate producing `tensor`, in any of its forms; `nanGuard` says whether it is guarded. */
export function matchGate(
  index: GraphIndex,
  tensor: string,
): Matched<{ readonly gate: Gate; readonly nanGuard: NaNGuard }> | undefined {
  const guard = matchNaNGuard(index, tensor);
  for (const form of Object.values(GATE_FORMS) as GateForm<Gate['type']>[]) {
    const found = form.match(index, guard?.value ?? tensor);
    if (!found || (guard && found.input !== guard.source)) continue;
    return {
      value: { gate: found.value, nanGuard: guard ? 'all' : 'max' },
      input: found.input,
      nodes: [...(guard?.nodes ?? []), ...found.nodes],
    };
  }
  return undefined;
}
