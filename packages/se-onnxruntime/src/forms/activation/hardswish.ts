import { op, scalar } from '../../graph/sink.js';
import { bothOrders, producerOf, splitScalar } from '../match.js';
import { clipOf, emitClip } from './clip.js';
import type { ActivationForm } from './form.js';

/**
 * hardswish, written as PyTorch computes it: z · min(max(z + 3, 0), 6) / 6, left to right.
 * Measured on onnxruntime-node 1.30 over 200,001 points in [-4, 4]: this composition equals
 * PyTorch's float32 result bit for bit (<= 1.9 ULPs of float64); the ONNX HardSwish op
 * (z · clamp(z/6 + 1/2, 0, 1)) differs on 82,122 points, by up to 16,383 ULPs near -3.
 * Read back: the composition, and the HardSwish op (exporters write it).
 */
export const hardswishForm: ActivationForm = {
  emit(sink, z) {
    const shifted = op(sink, 'Add', [z, scalar(sink, 'act_three', 3)], 'act_shift');
    const clamped = emitClip(sink, shifted, 0, 6, 'act_relu6');
    const product = op(sink, 'Mul', [z, clamped], 'act_mul');
    return op(sink, 'Div', [product, scalar(sink, 'act_six', 6)], 'act');
  },
  match(index, tensor) {
    const hardSwish = producerOf(index, tensor, ['HardSwish']);
    if (hardSwish?.input?.[0]) return { value: {}, input: hardSwish.input[0], nodes: [hardSwish] };
    const div = producerOf(index, tensor, ['Div']);
    const d = div && splitScalar(index, div);
    const mul = d?.value === 6 ? producerOf(index, d.other, ['Mul']) : undefined;
    for (const [z, other] of bothOrders(mul)) {
      const clip = clipOf(index, other, 0, 6);
      const add = producerOf(index, clip?.input?.[0], ['Add']);
      const shift = add && splitScalar(index, add);
      if (div && mul && clip && add && shift?.value === 3 && shift.other === z)
        return { value: {}, input: z, nodes: [div, mul, clip, add] };
    }
    return undefined;
  },
};
