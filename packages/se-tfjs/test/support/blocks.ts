import {
  ACTIVATIONS,
  defineSESpec,
  type Gate,
  onnxDefaultHardSigmoid,
  pytorchHardSigmoid,
  type SEBlock,
  type SESpec,
  sigmoidGate,
  weightSlots,
} from '@seblock/se-core';
import { normal, rng } from './random.js';

/**
 * Weights drawn like a trained layer's, for any kind: each matrix N(0, 1/fan_in) (fan_in its
 * last dimension), biases N(0, 0.1²), other vectors (eca's kernel) N(0, 1/length).
 */
export function randomBlock(spec: SESpec, seed: number): SEBlock {
  const random = rng(seed);
  const weights: Record<string, Float32Array> = {};
  for (const slot of weightSlots(spec)) {
    if (!slot.present) continue;
    const count = slot.shape.reduce((a, b) => a * b, 1);
    const fanIn = slot.shape.at(-1) as number;
    weights[slot.key] = normal(
      random,
      count,
      slot.key.endsWith('Bias') ? 0.1 : 1 / Math.sqrt(fanIn),
    );
  }
  return { spec, weights };
}

const GATES: readonly Gate[] = [sigmoidGate, pytorchHardSigmoid, onnxDefaultHardSigmoid];

/**
 * One spec per value of every field: the mlp over squeeze × activation (gates, bias and gain
 * rotating), ese and eca over their squeezes and cbam over the activations, without the full
 * cross product, to keep the suite fast on a 2-core machine.
 */
export function specVariants(channels = 24, reducedChannels = 6): SESpec[] {
  const out: SESpec[] = [];
  let i = 0;
  const next = () => ({
    gate: GATES[i % GATES.length] as Gate,
    bias: i % 2 === 0,
    gain: i++ % 4 === 3 ? 2 : 1,
  });
  for (const squeeze of ['avg', 'max', 'avgmax'] as const) {
    for (const activation of ACTIVATIONS) {
      const { gate, bias, gain } = next();
      const excitation = { kind: 'mlp', reducedChannels, activation, bias } as const;
      out.push(defineSESpec({ version: 2, channels, squeeze, excitation, gate, gain }));
    }
    const { gate, bias, gain } = next();
    out.push(
      defineSESpec({
        version: 2,
        channels,
        squeeze,
        excitation: { kind: 'ese', bias },
        gate,
        gain,
      }),
    );
    const eca = next();
    const kernelSize = squeeze === 'max' ? 1 : squeeze === 'avg' ? 3 : 5;
    const excitation = { kind: 'eca', kernelSize } as const;
    out.push(
      defineSESpec({ version: 2, channels, squeeze, excitation, gate: eca.gate, gain: eca.gain }),
    );
    const ceca = next();
    out.push(
      defineSESpec({
        version: 2,
        channels,
        squeeze,
        excitation: { kind: 'ceca', kernelSize: kernelSize + 2 },
        gate: ceca.gate,
        gain: ceca.gain,
      }),
    );
  }
  for (const activation of ACTIVATIONS) {
    const { gate, bias, gain } = next();
    const excitation = { kind: 'cbam', reducedChannels, activation, bias } as const;
    out.push(defineSESpec({ version: 2, channels, excitation, gate, gain }));
  }
  return out;
}

export function describeSpec(spec: SESpec): string {
  const gate =
    spec.gate.type === 'sigmoid'
      ? 'sigmoid'
      : `hardsigmoid(${spec.gate.alpha.toPrecision(3)},${spec.gate.beta})`;
  const { kind, ...fields } = spec.excitation;
  return `C${spec.channels} ${kind}${JSON.stringify(fields)} ${spec.squeeze} ${gate} gain=${spec.gain}`;
}
