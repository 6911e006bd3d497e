import { op, scalar } from '../../graph/sink.js';
import { floatAttribute } from '../../proto/attributes.js';
import type { GraphIndex } from '../../proto/graph-index.js';
import type { NodeProto } from '../../proto/onnx.js';
import { clipOf, emitClip } from '../activation/clip.js';
import { clipBounds, type Matched, producerOf, splitScalar } from '../match.js';
import { snap } from '../snap.js';
import type { GateForm, GateOf } from './form.js';

type HardSigmoid = GateOf<'hardsigmoid'>;

/** The inside of clamp(·, 0, 1): (z + o) / d, (z + o) * k, or z * a + b. */
function matchAffine(
  index: GraphIndex,
  tensor: string,
  nodes: NodeProto[],
): Matched<HardSigmoid> | undefined {
  const scale = producerOf(index, tensor, ['Div', 'Mul']);
  const s = scale && splitScalar(index, scale);
  const shift = producerOf(index, s?.other, ['Add']);
  const o = shift && splitScalar(index, shift);
  if (scale && s && shift && o) {
    // (z + o) / d → alpha = 1/d, beta = o/d (our own form), or (z + o) * k.
    const d32 = Math.fround(s.value);
    const o32 = Math.fround(o.value);
    const isDiv = scale.opType === 'Div';
    const alpha = snap(
      isDiv ? 1 / s.value : s.value,
      (a) => Math.fround(isDiv ? 1 / a : a) === d32,
    );
    const beta = snap(o.value * alpha, (b) => Math.fround(b / alpha) === o32);
    return {
      value: { type: 'hardsigmoid', alpha, beta },
      input: o.other,
      nodes: [...nodes, scale, shift],
    };
  }
  const add = producerOf(index, tensor, ['Add']);
  const b = add && splitScalar(index, add);
  const mul = b && producerOf(index, b.other, ['Mul']);
  const a = mul && splitScalar(index, mul);
  if (add && b && mul && a) {
    return {
      value: { type: 'hardsigmoid', alpha: snap(a.value), beta: snap(b.value) },
      input: a.other,
      nodes: [...nodes, add, mul],
    };
  }
  return undefined;
}

/** relu6(z + c) / m or relu6(z + c) * k: the tf2onnx / Keras form. */
function matchRelu6Form(index: GraphIndex, tensor: string): Matched<HardSigmoid> | undefined {
  const outer = producerOf(index, tensor, ['Div', 'Mul']);
  const scaled = outer && splitScalar(index, outer);
  const inner = producerOf(index, scaled?.other, ['Clip']);
  const bounds = inner && clipBounds(index, inner);
  const shift = producerOf(index, inner?.input?.[0], ['Add']);
  const offset = shift && splitScalar(index, shift);
  if (!outer || !scaled || !inner || !bounds || bounds[0] !== 0 || !shift || !offset)
    return undefined;
  const k = outer.opType === 'Div' ? 1 / scaled.value : scaled.value;
  if (Math.abs(k * bounds[1] - 1) > 1e-6) return undefined;
  const alpha = snap(
    k,
    (a) => Math.fround(outer.opType === 'Div' ? 1 / a : a) === Math.fround(scaled.value),
  );
  return {
    value: { type: 'hardsigmoid', alpha, beta: snap(offset.value * alpha) },
    input: offset.other,
    nodes: [outer, inner, shift],
  };
}

/**
 * The hard-sigmoid gate, composed as clamp((z + beta/alpha) / (1/alpha), 0, 1) rather than
 * ONNX HardSigmoid: for PyTorch's alpha 1/6, beta 1/2 that is clamp((z + 3) / 6, 0, 1),
 * PyTorch's own kernel, and the shift by an exact 3 keeps full precision near the saturation
 * point -3. Measured on onnxruntime-node 1.30 over 200,001 points in [-4, 4]: the composed
 * form equals PyTorch's float32 output bit for bit; the HardSigmoid op (alpha * z + beta)
 * differs on 67,907 of them, by up to 10,923 ULPs of the float64 value near z = -3.
 * alpha and beta always come from the spec (ONNX defaults to 0.2, PyTorch uses 1/6).
 * Read back: HardSigmoid (its attributes, or ONNX's defaults 0.2 and 0.5), clamp of an affine
 * form, and tf2onnx's relu6(z + 3) / 6; float32 constants come back as the number meant.
 */
export const hardsigmoidForm: GateForm<'hardsigmoid'> = {
  emit(sink, z, gate) {
    const shifted = op(
      sink,
      'Add',
      [z, scalar(sink, 'gate_offset', gate.beta / gate.alpha)],
      'gate_shift',
    );
    const scaled = op(
      sink,
      'Div',
      [shifted, scalar(sink, 'gate_divisor', 1 / gate.alpha)],
      'gate_scale',
    );
    return emitClip(sink, scaled, 0, 1, 'gate');
  },
  match(index, tensor) {
    const hard = producerOf(index, tensor, ['HardSigmoid']);
    if (hard?.input?.[0]) {
      const a32 = Math.fround(floatAttribute(hard, 'alpha', 0.2));
      const b32 = Math.fround(floatAttribute(hard, 'beta', 0.5));
      return {
        value: { type: 'hardsigmoid', alpha: snap(a32), beta: snap(b32) },
        input: hard.input[0],
        nodes: [hard],
      };
    }
    const clip = clipOf(index, tensor, 0, 1);
    if (clip) return matchAffine(index, clip.input?.[0] as string, [clip]);
    return producerOf(index, tensor, ['Clip']) ? undefined : matchRelu6Form(index, tensor);
  },
};
