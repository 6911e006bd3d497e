import { type GraphSink, op, scalar } from '../../graph/sink.js';
import { stringAttribute } from '../../proto/attributes.js';
import type { GraphIndex } from '../../proto/graph-index.js';
import type { NodeProto } from '../../proto/onnx.js';
import { type Matched, producerOf, splitScalar } from '../match.js';
import type { ActivationForm, ActivationFormMatch } from './form.js';

// Abramowitz & Stegun 7.1.26: erf(u) = 1 − t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·exp(−u²),
// t = 1 / (1 + p·u), for u ≥ 0, with |error| ≤ 1.5e-7 (the approximation TF.js uses for tf.erf).
const AS_P = 0.3275911;
const AS_A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429] as const;

/**
 * Exact GELU (erf form 'op'): the Gelu op from opset 20, else (z · 0.5) · (1 + erf(z · 1/√2)),
 * the order of PyTorch's CPU kernel.
 */
function emitWithErf(sink: GraphSink, z: string): string {
  if (sink.opset >= 20) return op(sink, 'Gelu', [z], 'act', { approximate: 'none' });
  const scaled = op(sink, 'Mul', [z, scalar(sink, 'act_rsqrt2', Math.SQRT1_2)], 'act_scaled');
  const erf = op(sink, 'Erf', [scaled], 'act_erf');
  const onePlus = op(sink, 'Add', [erf, scalar(sink, 'act_one', 1)], 'act_one_plus');
  const half = op(sink, 'Mul', [z, scalar(sink, 'act_half', 0.5)], 'act_half_z');
  return op(sink, 'Mul', [half, onePlus], 'act');
}

/**
 * GELU for runtimes without Erf (onnxruntime-web's webgl EP), from Abs, Exp and arithmetic
 * only. erf is odd, so z·erf(z/√2) = |z|·erf(|z|/√2), and gelu(z) = 0.5·(z + |z|·(1 − q)) with
 * q = erfc(|z|/√2) from the formula above: no Sign or Where, which that backend may lack either.
 */
function emitPolynomial(sink: GraphSink, z: string): string {
  const absZ = op(sink, 'Abs', [z], 'act_abs');
  const u = op(sink, 'Mul', [absZ, scalar(sink, 'act_rsqrt2', Math.SQRT1_2)], 'act_u');
  const pu = op(sink, 'Mul', [u, scalar(sink, 'act_p', AS_P)], 'act_pu');
  const denominator = op(sink, 'Add', [pu, scalar(sink, 'act_one', 1)], 'act_den');
  const t = op(sink, 'Div', [scalar(sink, 'act_unit', 1), denominator], 'act_t');
  // Horner: a5, then (· t + a4), …, (· t + a1), then · t.
  let poly = scalar(sink, 'act_a5', AS_A[4]);
  for (let i = 3; i >= 0; i--) {
    const times = op(sink, 'Mul', [poly, t], `act_h${i}`);
    poly = op(sink, 'Add', [times, scalar(sink, `act_a${i + 1}`, AS_A[i] as number)], `act_p${i}`);
  }
  poly = op(sink, 'Mul', [poly, t], 'act_poly');
  const u2 = op(sink, 'Mul', [u, u], 'act_u2');
  const gauss = op(sink, 'Exp', [op(sink, 'Neg', [u2], 'act_neg_u2')], 'act_gauss');
  const q = op(sink, 'Mul', [poly, gauss], 'act_q');
  const erfAbs = op(sink, 'Sub', [scalar(sink, 'act_one_erf', 1), q], 'act_erf_abs');
  const sum = op(sink, 'Add', [z, op(sink, 'Mul', [absZ, erfAbs], 'act_abs_erf')], 'act_sum');
  return op(sink, 'Mul', [sum, scalar(sink, 'act_half', 0.5)], 'act');
}

/**
 * The arithmetic tree above a tensor, through non-constant operands, at most `maxDepth` levels
 * deep (each form's own depth: the walk stays inside the activation in a large graph) and never
 * above `stop` (the activation's input: its producer belongs to the layer before).
 */
function expressionNodes(
  index: GraphIndex,
  tensor: string,
  opTypes: readonly string[],
  maxDepth: number,
  stop?: string,
): NodeProto[] {
  const out: NodeProto[] = [];
  const walk = (t: string, depth: number) => {
    const node = t === stop ? undefined : producerOf(index, t, opTypes);
    if (!node || depth > maxDepth || out.includes(node)) return;
    out.push(node);
    for (const input of node.input ?? [])
      if (input && index.constant(input) === undefined) walk(input, depth + 1);
  };
  walk(tensor, 0);
  return out;
}

const hasScalar = (index: GraphIndex, nodes: readonly NodeProto[], opType: string, value: number) =>
  nodes.some(
    (n) =>
      n.opType === opType && Math.abs((splitScalar(index, n)?.value ?? Number.NaN) - value) < 1e-7,
  );

/** GELU written as 0.5 · z · (1 + erf(z / √2)) in any association order (PyTorch's and ours). */
function matchErfComposition(
  index: GraphIndex,
  tensor: string,
): Matched<ActivationFormMatch> | undefined {
  const ops = ['Mul', 'Add', 'Div', 'Erf'];
  const erf = expressionNodes(index, tensor, ops, 5).find((n) => n.opType === 'Erf');
  const scaled = producerOf(index, erf?.input?.[0], ['Div', 'Mul']);
  const s = scaled && splitScalar(index, scaled);
  if (!erf || !scaled || !s) return undefined;
  const factor = scaled.opType === 'Div' ? 1 / s.value : s.value;
  if (Math.abs(factor - Math.SQRT1_2) > 1e-6) return undefined;
  const z = s.other;
  const nodes = expressionNodes(index, tensor, ops, 5, z);
  const readsZ = nodes.some((n) => n !== scaled && (n.input ?? []).includes(z));
  return hasScalar(index, nodes, 'Mul', 0.5) && hasScalar(index, nodes, 'Add', 1) && readsZ
    ? { value: { erf: 'op' }, input: z, nodes }
    : undefined;
}

/** Our polynomial form: 0.5 · (z + |z| · (1 − q)), q from A&S 7.1.26 (its constant p identifies it). */
function matchPolynomial(
  index: GraphIndex,
  tensor: string,
): Matched<ActivationFormMatch> | undefined {
  const ops = ['Mul', 'Add', 'Sub', 'Div', 'Exp', 'Neg', 'Abs'];
  // 18 levels from the output to Abs(z) (the Horner chain is the long way round).
  const z = expressionNodes(index, tensor, ops, 18).find((n) => n.opType === 'Abs')?.input?.[0];
  const nodes = expressionNodes(index, tensor, ops, 18, z);
  const outer = nodes[0];
  const sum = outer && splitScalar(index, outer);
  const add = producerOf(index, sum?.other, ['Add']);
  if (!z || outer?.opType !== 'Mul' || sum?.value !== 0.5 || !add?.input?.includes(z))
    return undefined;
  const p = hasScalar(index, nodes, 'Mul', Math.fround(AS_P));
  const exp = nodes.some((n) => n.opType === 'Exp');
  return p && exp ? { value: { erf: 'polynomial' }, input: z, nodes } : undefined;
}

/** Exact GELU: the Gelu op (opset ≥ 20), the erf composition, or the polynomial erf (erf: 'polynomial'). */
export const geluForm: ActivationForm = {
  emit: (sink, z, erf) => (erf === 'polynomial' ? emitPolynomial(sink, z) : emitWithErf(sink, z)),
  match(index, tensor) {
    const gelu = producerOf(index, tensor, ['Gelu']);
    if (gelu?.input?.[0])
      return (stringAttribute(gelu, 'approximate') ?? 'none') === 'none'
        ? { value: { erf: 'op' }, input: gelu.input[0], nodes: [gelu] }
        : undefined;
    return matchErfComposition(index, tensor) ?? matchPolynomial(index, tensor);
  },
};
