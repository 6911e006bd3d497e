// Deterministic test data from the repository's one seeded generator, so failures reproduce.
import { defineSESpec, type SEBlock, type SESpecInput } from '@seblock/se-core';
import { rng } from '../../../../tooling/test-random.js';

/** Uniform float32 values in [-scale, scale). */
export function randomFloats(length: number, seed: number, scale = 1): Float32Array {
  const next = rng(seed);
  return Float32Array.from({ length }, () => (next() * 2 - 1) * scale);
}

/** A block with random weights; fc scales keep logits in a range where every activation and gate is exercised. */
export function randomBlock(
  input: Partial<SESpecInput> & { channels: number; reducedChannels: number },
  seed = 1,
): SEBlock {
  const spec = defineSESpec({
    version: 1,
    squeeze: 'avg',
    activation: 'relu',
    gate: { type: 'sigmoid' },
    bias: true,
    ...input,
  });
  const { channels: c, reducedChannels: rd } = spec;
  const weights = {
    fc1Weight: randomFloats(rd * c, seed, 2 / Math.sqrt(c)),
    fc2Weight: randomFloats(c * rd, seed + 1, 2 / Math.sqrt(rd)),
    ...(spec.bias
      ? { fc1Bias: randomFloats(rd, seed + 2, 0.5), fc2Bias: randomFloats(c, seed + 3, 0.5) }
      : {}),
  };
  return { spec, weights };
}
