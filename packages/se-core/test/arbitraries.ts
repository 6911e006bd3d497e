// fast-check generators shared by the se-core property tests.
import fc from 'fast-check';
import type { FloatArray, Gate, SEBlock, SESpec } from '../src/index.js';

export const gateArbitrary: fc.Arbitrary<Gate> = fc.oneof(
  fc.constant({ type: 'sigmoid' } as const),
  fc.record({
    type: fc.constant('hardsigmoid' as const),
    alpha: fc.double({ min: 0.01, max: 2, noNaN: true }),
    beta: fc.double({ min: -1, max: 1, noNaN: true }),
  }),
);

export const specArbitrary: fc.Arbitrary<SESpec> = fc
  .record({
    channels: fc.integer({ min: 1, max: 24 }),
    reducedFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    squeeze: fc.constantFrom('avg', 'max', 'avgmax' as const),
    activation: fc.constantFrom('relu', 'relu6', 'silu', 'gelu', 'hardswish' as const),
    gate: gateArbitrary,
    bias: fc.boolean(),
    gain: fc.constantFrom(1, 2, 0.5),
  })
  .map(({ reducedFraction, ...rest }) => ({
    version: 1 as const,
    ...rest,
    reducedChannels: Math.max(1, Math.ceil(reducedFraction * rest.channels)),
  }));

function floats(length: number, f64: boolean): fc.Arbitrary<FloatArray> {
  return f64
    ? fc.float64Array({
        minLength: length,
        maxLength: length,
        noNaN: true,
        noDefaultInfinity: true,
      })
    : fc.float32Array({
        minLength: length,
        maxLength: length,
        noNaN: true,
        noDefaultInfinity: true,
      });
}

/** A random valid block; `f64` makes every weight a Float64Array. */
export function blockArbitrary(f64 = false): fc.Arbitrary<SEBlock> {
  return specArbitrary.chain((spec) => {
    const c = spec.channels;
    const rd = spec.reducedChannels;
    return fc
      .record({
        fc1Weight: floats(rd * c, f64),
        fc2Weight: floats(c * rd, f64),
        fc1Bias: floats(rd, f64),
        fc2Bias: floats(c, f64),
      })
      .map(({ fc1Bias, fc2Bias, ...w }) => ({
        spec,
        weights: spec.bias ? { ...w, fc1Bias, fc2Bias } : w,
      }));
  });
}

/** The smallest valid block (2 channels, 1 hidden, no bias), for tests about files, not maths. */
export const TINY_BLOCK: SEBlock = {
  spec: {
    version: 1,
    channels: 2,
    reducedChannels: 1,
    squeeze: 'avg',
    activation: 'relu',
    gate: { type: 'sigmoid' },
    bias: false,
    gain: 1,
  },
  weights: { fc1Weight: Float32Array.of(1, 2), fc2Weight: Float32Array.of(3, 4) },
};

/** Up to 8 (position, byte) overwrites; positions wrap around the file. */
export const byteFlipsArbitrary = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
  minLength: 1,
  maxLength: 8,
});

/** A copy of `file` with `flips` applied (the original is left alone). */
export function withByteFlips(file: Uint8Array, flips: readonly [number, number][]): Uint8Array {
  const bytes = Uint8Array.from(file);
  for (const [at, value] of flips) bytes[at % bytes.length] = value;
  return bytes;
}
