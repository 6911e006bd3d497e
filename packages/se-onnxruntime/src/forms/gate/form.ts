import type { Gate } from '@seblock/se-core';
import type { GraphSink } from '../../graph/sink.js';
import type { GraphIndex } from '../../proto/graph-index.js';
import type { Matched } from '../match.js';

/** The gate of type `T` (`{ type: 'sigmoid' }`, `{ type: 'hardsigmoid', alpha, beta }`). */
export type GateOf<T extends Gate['type']> = Extract<Gate, { readonly type: T }>;

/** One gate type: how it is written, and every way it is recognised, in one module. */
export interface GateForm<T extends Gate['type']> {
  emit(sink: GraphSink, z: string, gate: GateOf<T>): string;
  match(index: GraphIndex, tensor: string): Matched<GateOf<T>> | undefined;
}
