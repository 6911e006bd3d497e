import { float64Rounding } from '../excitation/dense.js';
import type { Rounding } from '../excitation/kind.js';
import type { Activation, Gate } from '../spec/primitives.js';
import { erfc } from './erf.js';

// Each function is written the way PyTorch defines it, with every operation
// passed through `round`: float64Rounding (none) gives the float64 reference, Math.fround
// the naive float32 evaluation of the accuracy model (SPEC.md, "Activations").
// JS Math.max/min propagate NaN, as torch.relu and torch.clamp do.

function sigmoidWith(round: Rounding): (x: number) => number {
  return (x) => round(1 / round(1 + round(Math.exp(-x))));
}

/** The activation `name` with rounding `round` (default: none, float64). */
export function activationFunction(
  name: Activation,
  round: Rounding = float64Rounding,
): (x: number) => number {
  const relu6 = (x: number) => Math.min(Math.max(x, 0), 6);
  switch (name) {
    case 'relu':
      return (x) => Math.max(x, 0);
    case 'relu6':
      return relu6;
    case 'silu': {
      const sigmoid = sigmoidWith(round);
      return (x) => round(x * sigmoid(x));
    }
    case 'gelu':
      // 0.5 x (1 + erf(x / √2)) written with erfc so large negative x keeps its tiny value.
      return (x) => round(round(0.5 * x) * round(erfc(round(-x * round(Math.SQRT1_2)))));
    case 'hardswish':
      return (x) => round(round(x * relu6(round(x + 3))) / 6);
  }
}

/** The activations in float64. */
export const ACTIVATION_FUNCTIONS: Readonly<Record<Activation, (x: number) => number>> = {
  relu: activationFunction('relu'),
  relu6: activationFunction('relu6'),
  silu: activationFunction('silu'),
  gelu: activationFunction('gelu'),
  hardswish: activationFunction('hardswish'),
};

/**
 * The gate that maps the summed excitation logits into [0, 1], with rounding
 * `round` (default: none, float64).
 *
 * @example
 * ```ts
 * gateFunction({ type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 })(3); // 1
 * ```
 */
export function gateFunction(gate: Gate, round: Rounding = float64Rounding): (x: number) => number {
  if (gate.type === 'sigmoid') return sigmoidWith(round);
  const alpha = round(gate.alpha);
  const beta = round(gate.beta);
  return (x) => Math.min(Math.max(round(round(alpha * x) + beta), 0), 1);
}
