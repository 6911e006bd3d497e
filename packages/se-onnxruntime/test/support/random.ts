// Deterministic test data from the repository's one seeded generator, so failures reproduce.
import {
  defineSESpec,
  parseSESpec,
  type SEBlock,
  type SESpecInput,
  type SESpecV1Input,
  weightSlots,
} from '@seblock/se-core';
import { rng } from '../../../../tooling/test-random.js';

/** Uniform float32 values in [-scale, scale). */
export function randomFloats(length: number, seed: number, scale = 1): Float32Array {
  const next = rng(seed);
  return Float32Array.from({ length }, () => (next() * 2 - 1) * scale);
}

/**
 * Random weights for any kind, from its weight slots: a matrix [out, in] scaled by 2/√in and
 * a vector by 0.5, so logits spread over the gate's bend and every activation is exercised.
 */
export function randomWeights(spec: SESpecInput, seed: number): SEBlock['weights'] {
  const weights: Record<string, Float32Array> = {};
  weightSlots(spec)
    .filter((slot) => slot.present)
    .forEach((slot, i) => {
      const length = slot.shape.reduce((a, b) => a * b, 1);
      const scale = slot.shape.length === 2 ? 2 / Math.sqrt(slot.shape[1] as number) : 0.5;
      weights[slot.key] = randomFloats(length, seed + i, scale);
    });
  return weights;
}

/** A version-1 (mlp) spec with defaults: avg, relu, sigmoid, bias. */
type MlpInput = Partial<SESpecV1Input> & { channels: number; reducedChannels: number };

/** A block with random weights: any spec (version 2: every kind), or an mlp from a few version-1 fields. */
export function randomBlock(input: SESpecInput | MlpInput, seed = 1): SEBlock {
  const spec =
    'excitation' in input
      ? parseSESpec(input)
      : defineSESpec({
          version: 1,
          squeeze: 'avg',
          activation: 'relu',
          gate: { type: 'sigmoid' },
          bias: true,
          ...input,
        } as SESpecV1Input);
  return { spec, weights: randomWeights(spec, seed) };
}
