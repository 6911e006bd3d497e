import type { Activation, Gate } from '../spec/types.js';
import { erfc } from './erf.js';

// Each function is written the way PyTorch defines it, in float64.

const relu = (x: number) => Math.max(x, 0); // NaN stays NaN, as in torch.relu
const relu6 = (x: number) => Math.min(Math.max(x, 0), 6);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The activation between the two FC layers. */
export const ACTIVATION_FUNCTIONS: Readonly<Record<Activation, (x: number) => number>> = {
  relu,
  relu6,
  silu: (x) => x * sigmoid(x),
  // 0.5 x (1 + erf(x / sqrt 2)) written with erfc so large negative x keeps its tiny value.
  gelu: (x) => 0.5 * x * erfc(-x / Math.SQRT2),
  hardswish: (x) => (x * relu6(x + 3)) / 6,
};

/** The gate that maps the excitation logits into [0, 1]. */
export function gateFunction(gate: Gate): (x: number) => number {
  if (gate.type === 'sigmoid') return sigmoid;
  const { alpha, beta } = gate;
  return (x) => Math.min(Math.max(alpha * x + beta, 0), 1);
}
