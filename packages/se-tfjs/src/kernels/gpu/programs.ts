import type { Gate, Layout } from '@seblock/se-core';
import type { ShaderStage } from '../../excitation/kind.js';
import { keepNaN } from '../../shader/accumulate.js';
import { type ShaderDialect, shaderFloat } from '../../shader/dialect.js';
import { gateFunctionSource } from '../../shader/gate.js';
import type { SEKernelResidual } from '../attrs.js';
import type { ElementProgram } from './program.js';

/** The gate and gain, applied by the program that outputs e. */
export interface GateStep {
  readonly gate: Gate;
  readonly gain: number;
}

function gated(value: string, step: GateStep): string {
  return step.gain === 1 ? `gate(${value})` : `gate(${value}) * ${shaderFloat(step.gain)}`;
}

/**
 * A kind's stage over `rows` descriptor rows: (row, col) from the output coordinates. With
 * `gate`, it outputs e = gain · gate(value) instead of its value.
 */
export function stageProgram(
  stage: ShaderStage,
  rows: number,
  d: ShaderDialect,
  gate?: GateStep,
): ElementProgram {
  return {
    key: `stage_${stage.name}${gate ? '_gated' : ''}`,
    inputs: stage.inputs,
    outputShape: [rows, stage.columns],
    functions: gate ? `${stage.functions}\n${gateFunctionSource(gate.gate, d)}` : stage.functions,
    body: `${d.local('row', 'coords[0]', 'int')}
      ${d.local('col', 'coords[1]', 'int')}
      ${stage.body}`,
    value: gate ? gated(`(${stage.value})`, gate) : stage.value,
  };
}

/**
 * e[n, c] = gain · gate(Σ_d logits[d·N + n, c]): the logits of a sample's descriptors summed
 * in descriptor order (avg, then max), as se-core sums them.
 */
export function gateProgram(
  gate: Gate,
  gain: number,
  batch: number,
  channels: number,
  depth: number,
  d: ShaderDialect,
): ElementProgram {
  const terms = Array.from({ length: depth }, (_, i) =>
    i === 0 ? 'getLogits(coords[0], coords[1])' : `getLogits(coords[0] + ${i * batch}, coords[1])`,
  );
  return {
    key: 'gate',
    inputs: ['logits'],
    outputShape: [batch, channels],
    functions: gateFunctionSource(gate, d),
    body: d.local('z', terms.join(' + ')),
    value: gated('z', { gate, gain }),
  };
}

/**
 * y = x · e[n, c], or act(x · e[n, c] + shortcut) with a residual (input `shortcut`, shaped like
 * x): one pass over x. The ReLU keeps NaN (a GPU max need not).
 */
export function scaleProgram(
  shape: readonly number[],
  layout: Layout,
  residual: SEKernelResidual,
  d: ShaderDialect,
): ElementProgram {
  const channel = layout === 'NCHW' ? 'coords[1]' : 'coords[3]';
  const at = 'coords[0], coords[1], coords[2], coords[3]';
  const product = `getX(${at}) * getE(coords[0], ${channel})`;
  if (residual === 'none') {
    return {
      key: 'scale',
      inputs: ['x', 'e'],
      outputShape: shape,
      functions: '',
      body: '',
      value: product,
    };
  }
  return {
    key: `scale_add_${residual}`,
    inputs: ['x', 'e', 'shortcut'],
    outputShape: shape,
    functions: '',
    body: d.local('v', `${product} + getShortcut(${at})`),
    value: residual === 'relu' ? keepNaN('v', 'max(v, 0.0)', d) : 'v',
  };
}
