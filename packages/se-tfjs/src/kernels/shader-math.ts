// The excitation's scalar functions as shader source, shared by the WebGL (GLSL ES 3)
// and WebGPU (WGSL) kernels. The expressions are the same in both languages; only how
// a local is declared and how a select is written differ, so those are the dialect.
import type { SEKernelAttrs } from './attrs.js';
import { SE_KERNEL_NAME } from './attrs.js';

export interface ShaderDialect {
  readonly backend: 'webgl' | 'webgpu';
  /** Declares an immutable local. */
  local(name: string, expression: string): string;
  /** `ifTrue` where `condition` holds, else `ifFalse`. */
  select(condition: string, ifTrue: string, ifFalse: string): string;
  /** Declares a mutable float local. */
  variable(name: string, expression: string): string;
  /** How a loop declares its integer counter. */
  readonly counter: string;
}

export const GLSL: ShaderDialect = {
  backend: 'webgl',
  local: (name, expression) => `float ${name} = ${expression};`,
  select: (condition, ifTrue, ifFalse) => `(${condition}) ? ${ifTrue} : ${ifFalse}`,
  variable: (name, expression) => `float ${name} = ${expression};`,
  counter: 'int',
};

export const WGSL: ShaderDialect = {
  backend: 'webgpu',
  local: (name, expression) => `let ${name} = ${expression};`,
  select: (condition, ifTrue, ifFalse) => `select(${ifFalse}, ${ifTrue}, ${condition})`,
  variable: (name, expression) => `var ${name} = ${expression};`,
  counter: 'var',
};

/** A JS number as a float literal of either language (always with a decimal point). */
export function shaderFloat(value: number, dialect: ShaderDialect): string {
  if (!Number.isFinite(value))
    throw new RangeError(`${SE_KERNEL_NAME} (${dialect.backend}): constant ${value}`);
  return value.toExponential(9);
}

/** The body of `act(z)`, as op/functions.ts composes the activation. */
export function activationSource(name: SEKernelAttrs['activation'], d: ShaderDialect): string {
  switch (name) {
    case 'relu':
      return 'return max(z, 0.0);';
    case 'relu6':
      return 'return min(max(z, 0.0), 6.0);';
    case 'silu':
      return 'return z * (1.0 / (1.0 + exp(-z)));';
    case 'gelu':
      // Abramowitz–Stegun 7.1.26, TF.js' own Erf (|error| ≤ 1.5e-7).
      return `
        ${d.local('u', `z * ${shaderFloat(Math.SQRT1_2, d)}`)}
        ${d.local('a', 'abs(u)')}
        ${d.local('t', '1.0 / (1.0 + 0.3275911 * a)')}
        ${d.local('erfA', '1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a)')}
        ${d.local('erfU', d.select('u < 0.0', '-erfA', 'erfA'))}
        return (z * 0.5) * (1.0 + erfU);`;
    case 'hardswish':
      return 'return (z * min(max(z + 3.0, 0.0), 6.0)) / 6.0;';
  }
}

/** The body of `gate(z)`, with gate()'s shifted form of hard-sigmoid. */
export function gateSource(attrs: SEKernelAttrs, d: ShaderDialect): string {
  if (attrs.gateType === 'sigmoid') return 'return 1.0 / (1.0 + exp(-z));';
  const { gateAlpha: alpha, gateBeta: beta } = attrs;
  const shifted = beta === 0 ? 'z' : `(z + ${shaderFloat(beta / alpha, d)})`;
  const reciprocal = 1 / alpha;
  const scaled = Number.isInteger(reciprocal)
    ? `${shifted} / ${shaderFloat(reciprocal, d)}`
    : `${shifted} * ${shaderFloat(alpha, d)}`;
  return `return clamp(${scaled}, 0.0, 1.0);`;
}

/**
 * One unit of a dense layer, `z = Σ weight · input (+ bias)`, for the hidden program (unit j of
 * n, summing over channels c) or the excitation program (channel c of n, summing over hidden
 * units j). The weight's index order follows its layout: canonical fc1 [rd, C] and fc2
 * [C, rd], TF.js' kernel layout fc1 [C, rd] and fc2 [rd, C].
 */
export function denseUnitSource(
  layer: 'fc1' | 'fc2',
  inputs: { readonly count: number; readonly transposed: boolean; readonly bias: boolean },
  d: ShaderDialect,
): string {
  const fc1 = layer === 'fc1';
  const k = fc1 ? 'c' : 'j';
  const weight = fc1
    ? inputs.transposed
      ? 'getFc1(j, c)'
      : 'getFc1(c, j)'
    : inputs.transposed
      ? 'getFc2(c, j)'
      : 'getFc2(j, c)';
  const input = fc1 ? 'getS(n, c)' : 'getHidden(n, j)';
  const bias = fc1 ? 'z += getB1(j);' : 'z += getB2(c);';
  return `${d.variable('z', '0.0')}
        for (${d.counter} ${k} = 0; ${k} < ${inputs.count}; ${k}++) { z += ${weight} * ${input}; }
        ${inputs.bias ? bias : ''}`;
}
