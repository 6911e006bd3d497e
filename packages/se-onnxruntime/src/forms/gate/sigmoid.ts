import { op } from '../../graph/sink.js';
import { producerOf } from '../match.js';
import type { GateForm } from './form.js';

/** The sigmoid gate: the Sigmoid op. */
export const sigmoidForm: GateForm<'sigmoid'> = {
  emit: (sink, z) => op(sink, 'Sigmoid', [z], 'gate'),
  match(index, tensor) {
    const node = producerOf(index, tensor, ['Sigmoid']);
    return node?.input?.[0]
      ? { value: { type: 'sigmoid' }, input: node.input[0], nodes: [node] }
      : undefined;
  },
};
