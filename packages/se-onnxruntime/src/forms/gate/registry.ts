import type { Gate } from '@seblock/se-core';
import type { GraphSink } from '../../graph/sink.js';
import type { GraphIndex } from '../../proto/graph-index.js';
import type { Matched } from '../match.js';
import type { GateForm } from './form.js';
import { hardsigmoidForm } from './hardsigmoid.js';
import { sigmoidForm } from './sigmoid.js';

/** Every gate of se-core's spec: the compiler fails until a new one has its form. */
export const GATE_FORMS: { readonly [T in Gate['type']]: GateForm<T> } = {
  sigmoid: sigmoidForm,
  hardsigmoid: hardsigmoidForm,
};

/** Writes the gate of `z`; returns its output. */
export function emitGate(sink: GraphSink, z: string, gate: Gate): string {
  return (GATE_FORMS[gate.type] as GateForm<Gate['type']>).emit(sink, z, gate);
}

/** The gate producing `tensor`, in any of its forms. */
export function matchGate(index: GraphIndex, tensor: string): Matched<Gate> | undefined {
  for (const form of Object.values(GATE_FORMS) as GateForm<Gate['type']>[]) {
    const found = form.match(index, tensor);
    if (found) return found;
  }
  return undefined;
}
