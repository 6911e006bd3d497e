import { op } from '../../graph/sink.js';
import { producerOf } from '../match.js';
import type { ActivationForm } from './form.js';

/** relu: the Relu op (it propagates NaN on onnxruntime's CPU and wasm EPs: measured). */
export const reluForm: ActivationForm = {
  emit: (sink, z) => op(sink, 'Relu', [z], 'act'),
  match(index, tensor) {
    const node = producerOf(index, tensor, ['Relu']);
    return node?.input?.[0] ? { value: {}, input: node.input[0], nodes: [node] } : undefined;
  },
};
