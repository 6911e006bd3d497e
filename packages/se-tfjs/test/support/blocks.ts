import {
  ACTIVATIONS,
  defineSESpec,
  type Gate,
  onnxDefaultHardSigmoid,
  pytorchHardSigmoid,
  type SEBlock,
  type SESpec,
  SQUEEZE_MODES,
  sigmoidGate,
} from '@seblock/se-core';
import { normal, rng } from './random.js';

/** Weights drawn like a trained layer's: N(0, 1/fan_in), biases N(0, 0.1²). */
export function randomBlock(spec: SESpec, seed: number): SEBlock {
  const random = rng(seed);
  const { channels: c, reducedChannels: rd } = spec;
  return {
    spec,
    weights: {
      fc1Weight: normal(random, rd * c, 1 / Math.sqrt(c)),
      fc2Weight: normal(random, c * rd, 1 / Math.sqrt(rd)),
      ...(spec.bias ? { fc1Bias: normal(random, rd, 0.1), fc2Bias: normal(random, c, 0.1) } : {}),
    },
  };
}

const GATES: readonly Gate[] = [sigmoidGate, pytorchHardSigmoid, onnxDefaultHardSigmoid];

/**
 * One spec per value of every field (squeeze × activation × gate, bias on and off, gain 1
 * and 2), without the full cross product, to keep the suite fast on a 2-core machine.
 */
export function specVariants(channels = 24, reducedChannels = 6): SESpec[] {
  const out: SESpec[] = [];
  let i = 0;
  for (const squeeze of SQUEEZE_MODES) {
    for (const activation of ACTIVATIONS) {
      const gate = GATES[i % GATES.length] as Gate;
      out.push(
        defineSESpec({
          version: 1,
          channels,
          reducedChannels,
          squeeze,
          activation,
          gate,
          bias: i % 2 === 0,
          gain: i % 4 === 3 ? 2 : 1,
        }),
      );
      i++;
    }
  }
  return out;
}

export function describeSpec(spec: SESpec): string {
  const gate =
    spec.gate.type === 'sigmoid'
      ? 'sigmoid'
      : `hardsigmoid(${spec.gate.alpha.toPrecision(3)},${spec.gate.beta})`;
  return `C${spec.channels}/rd${spec.reducedChannels} ${spec.squeeze} ${spec.activation} ${gate} bias=${spec.bias} gain=${spec.gain}`;
}
