import type { Activation, Gate } from '@seblock/se-core';
import { floatTensor } from '../proto/tensors.js';
import type { ErfForm } from './options.js';
import type { GraphSink } from './sink.js';

const scalar = (sink: GraphSink, hint: string, value: number) =>
  sink.constant(hint, floatTensor('', [], [value]));

/** relu6 and the hardswish inner clamp: Clip with tensor bounds (attributes were removed in opset 11). */
function clip(sink: GraphSink, z: string, min: number, max: number, hint: string): string {
  return sink.node(
    'Clip',
    [z, scalar(sink, `${hint}_min`, min), scalar(sink, `${hint}_max`, max)],
    hint,
  )[0] as string;
}

/**
 * The activation between the two FC layers, written so that float32 evaluation
 * follows PyTorch's CPU kernels operation by operation.
 */
export function emitActivation(
  sink: GraphSink,
  z: string,
  activation: Activation,
  erfForm: ErfForm = 'op',
): string {
  switch (activation) {
    case 'relu':
      return sink.node('Relu', [z], 'act')[0] as string;
    case 'relu6':
      return clip(sink, z, 0, 6, 'act');
    case 'silu': {
      // SiLU = z · sigmoid(z); ONNX has no SiLU op (PyTorch exports the same pair).
      const s = sink.node('Sigmoid', [z], 'act_sigmoid')[0] as string;
      return sink.node('Mul', [z, s], 'act')[0] as string;
    }
    case 'gelu': {
      if (erfForm === 'polynomial') return geluWithoutErf(sink, z);
      // Exact GELU. Gelu is an ONNX op only from opset 20; before that compose
      // (z · 0.5) · (1 + erf(z · 1/√2)), the order of PyTorch's CPU kernel.
      if (sink.opset >= 20)
        return sink.node('Gelu', [z], 'act', { approximate: 'none' })[0] as string;
      const scaled = sink.node(
        'Mul',
        [z, scalar(sink, 'act_rsqrt2', Math.SQRT1_2)],
        'act_scaled',
      )[0] as string;
      const erf = sink.node('Erf', [scaled], 'act_erf')[0] as string;
      const onePlus = sink.node(
        'Add',
        [erf, scalar(sink, 'act_one', 1)],
        'act_one_plus',
      )[0] as string;
      const half = sink.node('Mul', [z, scalar(sink, 'act_half', 0.5)], 'act_half_z')[0] as string;
      return sink.node('Mul', [half, onePlus], 'act')[0] as string;
    }
    case 'hardswish': {
      // PyTorch: z · min(max(z + 3, 0), 6) / 6, evaluated left to right. Measured on
      // onnxruntime-node 1.30 over 200,001 points in [-4, 4]: this composition equals
      // PyTorch's float32 result bit for bit (<= 1.9 ULPs of float64); the ONNX HardSwish
      // op (z · clamp(z/6 + 1/2, 0, 1)) differs on 82,122 points, by up to 16,383 ULPs near -3.
      const shifted = sink.node('Add', [z, scalar(sink, 'act_three', 3)], 'act_shift')[0] as string;
      const clamped = clip(sink, shifted, 0, 6, 'act_relu6');
      const product = sink.node('Mul', [z, clamped], 'act_mul')[0] as string;
      return sink.node('Div', [product, scalar(sink, 'act_six', 6)], 'act')[0] as string;
    }
  }
}

/**
 * The gate. Hard-sigmoid is composed as clamp((z + beta/alpha) / (1/alpha), 0, 1)
 * rather than ONNX HardSigmoid: for PyTorch's alpha 1/6, beta 1/2 that is
 * clamp((z + 3) / 6, 0, 1), PyTorch's own kernel, and the shift by an exact 3 keeps
 * full precision near the saturation point -3. Measured on onnxruntime-node 1.30
 * over 200,001 points in [-4, 4]: the composed form equals PyTorch's float32 output
 * bit for bit; the HardSigmoid op (alpha * z + beta) differs on 67,907 of them,
 * by up to 10,923 ULPs of the float64 value near z = -3.
 * alpha and beta always come from the spec (ONNX defaults to 0.2, PyTorch uses 1/6).
 */
export function emitGate(sink: GraphSink, z: string, gate: Gate): string {
  if (gate.type === 'sigmoid') return sink.node('Sigmoid', [z], 'gate')[0] as string;
  const shifted = sink.node(
    'Add',
    [z, scalar(sink, 'gate_offset', gate.beta / gate.alpha)],
    'gate_shift',
  )[0] as string;
  const scaled = sink.node(
    'Div',
    [shifted, scalar(sink, 'gate_divisor', 1 / gate.alpha)],
    'gate_scale',
  )[0] as string;
  return clip(sink, scaled, 0, 1, 'gate');
}

// Abramowitz & Stegun 7.1.26: erf(u) = 1 − t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·exp(−u²),
// t = 1 / (1 + p·u), for u ≥ 0, with |error| ≤ 1.5e-7 (the approximation TF.js uses for tf.erf).
const AS_P = 0.3275911;
const AS_A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429] as const;

/**
 * GELU for runtimes without Erf (onnxruntime-web's webgl EP), from Abs, Exp and
 * arithmetic only. erf is odd, so z·erf(z/√2) = |z|·erf(|z|/√2), and
 * gelu(z) = 0.5·(z + |z|·(1 − q)) with q = erfc(|z|/√2) from the formula above:
 * no Sign or Where, which that backend may lack either.
 */
function geluWithoutErf(sink: GraphSink, z: string): string {
  const node = (op: string, inputs: string[], hint: string) =>
    sink.node(op, inputs, hint)[0] as string;
  const absZ = node('Abs', [z], 'act_abs');
  const u = node('Mul', [absZ, scalar(sink, 'act_rsqrt2', Math.SQRT1_2)], 'act_u');
  const denominator = node(
    'Add',
    [node('Mul', [u, scalar(sink, 'act_p', AS_P)], 'act_pu'), scalar(sink, 'act_one', 1)],
    'act_den',
  );
  const t = node('Div', [scalar(sink, 'act_unit', 1), denominator], 'act_t');
  // Horner: a5, then (· t + a4), …, (· t + a1), then · t.
  let poly = scalar(sink, 'act_a5', AS_A[4]);
  for (let i = 3; i >= 0; i--) {
    poly = node(
      'Add',
      [node('Mul', [poly, t], `act_h${i}`), scalar(sink, `act_a${i + 1}`, AS_A[i] as number)],
      `act_p${i}`,
    );
  }
  poly = node('Mul', [poly, t], 'act_poly');
  const gauss = node(
    'Exp',
    [node('Neg', [node('Mul', [u, u], 'act_u2')], 'act_neg_u2')],
    'act_gauss',
  );
  const q = node('Mul', [poly, gauss], 'act_q');
  const erfAbs = node('Sub', [scalar(sink, 'act_one_erf', 1), q], 'act_erf_abs');
  const sum = node('Add', [z, node('Mul', [absZ, erfAbs], 'act_abs_erf')], 'act_sum');
  return node('Mul', [sum, scalar(sink, 'act_half', 0.5)], 'act');
}
