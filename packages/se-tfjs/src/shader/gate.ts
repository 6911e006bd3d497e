import type { Gate } from '@seblock/se-core';
import { keepNaN } from './accumulate.js';
import { type ShaderDialect, shaderFloat } from './dialect.js';

/**
 * The function `gate(z)` as math/gate.ts composes it (hard-sigmoid in its shifted form), NaN
 * kept: exp(NaN) is NaN, but clamp(NaN, 0, 1) may be a bound on a GPU.
 */
export function gateFunctionSource(gate: Gate, d: ShaderDialect): string {
  let value: string;
  if (gate.type === 'sigmoid') {
    value = '1.0 / (1.0 + exp(-z))';
  } else {
    const { alpha, beta } = gate;
    const shifted = beta === 0 ? 'z' : `(z + ${shaderFloat(beta / alpha)})`;
    const reciprocal = 1 / alpha;
    const scaled = Number.isInteger(reciprocal)
      ? `${shifted} / ${shaderFloat(reciprocal)}`
      : `${shifted} * ${shaderFloat(alpha)}`;
    value = `clamp(${scaled}, 0.0, 1.0)`;
  }
  return d.func('gate', [['z', 'float']], 'float', `return ${keepNaN('z', value, d)};`);
}
