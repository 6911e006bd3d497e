import { op } from '../../graph/sink.js';
import { bothOrders, producerOf } from '../match.js';
import type { ActivationForm } from './form.js';

/** SiLU = z · sigmoid(z); ONNX has no SiLU op (PyTorch exports the same pair). */
export const siluForm: ActivationForm = {
  emit(sink, z) {
    const s = op(sink, 'Sigmoid', [z], 'act_sigmoid');
    return op(sink, 'Mul', [z, s], 'act');
  },
  match(index, tensor) {
    const mul = producerOf(index, tensor, ['Mul']);
    for (const [z, other] of bothOrders(mul)) {
      const sigmoid = producerOf(index, other, ['Sigmoid']);
      if (mul && sigmoid?.input?.[0] === z) return { value: {}, input: z, nodes: [mul, sigmoid] };
    }
    return undefined;
  },
};
