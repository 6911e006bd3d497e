import type { Activation } from '@seblock/se-core';
import { keepNaN } from './accumulate.js';
import { type ShaderDialect, shaderFloat } from './dialect.js';

/** The body of `act(z)`, as math/activation.ts composes the activation (NaN kept). */
function activationBody(name: Activation, d: ShaderDialect): string {
  switch (name) {
    case 'relu':
      return `return ${keepNaN('z', 'max(z, 0.0)', d)};`;
    case 'relu6':
      return `return ${keepNaN('z', 'clamp(z, 0.0, 6.0)', d)};`;
    case 'silu':
      return 'return z * (1.0 / (1.0 + exp(-z)));';
    case 'gelu':
      // Abramowitz–Stegun 7.1.26, TF.js' own Erf (|error| ≤ 1.5e-7).
      return `
        ${d.local('u', `z * ${shaderFloat(Math.SQRT1_2)}`)}
        ${d.local('a', 'abs(u)')}
        ${d.local('t', '1.0 / (1.0 + 0.3275911 * a)')}
        ${d.local('erfA', '1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a)')}
        ${d.local('erfU', d.select('u < 0.0', '-erfA', 'erfA'))}
        return ${keepNaN('z', '(z * 0.5) * (1.0 + erfU)', d)};`;
    case 'hardswish':
      return `return ${keepNaN('z', '(z * clamp(z + 3.0, 0.0, 6.0)) / 6.0', d)};`;
  }
}

/** The function `act(z)` in dialect `d`. */
export function activationFunctionSource(name: Activation, d: ShaderDialect): string {
  return d.func('act', [['z', 'float']], 'float', activationBody(name, d));
}
