// fast-check generators shared by the se-core property tests: specs of every
// excitation kind (the table below fails to compile until a new kind has one),
// and blocks whose weights follow weightSlots(spec).
import fc from 'fast-check';
import {
  type ExcitationKindName,
  type ExcitationSpec,
  excitationKind,
  type FloatArray,
  type Gate,
  parseSESpec,
  type SEBlock,
  type SESpec,
  type SESpecV1,
  weightSlots,
} from '../src/index.js';

export const gateArbitrary: fc.Arbitrary<Gate> = fc.oneof(
  fc.constant({ type: 'sigmoid' } as const),
  fc.record({
    type: fc.constant('hardsigmoid' as const),
    alpha: fc.double({ min: 0.01, max: 2, noNaN: true }),
    // No subnormal beta: gain scaling is exact only while gate values are normal numbers.
    beta: fc.double({ min: -1, max: 1, noNaN: true }).map((b) => (Math.abs(b) < 1e-300 ? 0 : b)),
  }),
);

export const activationArbitrary = fc.constantFrom(
  'relu',
  'relu6',
  'silu',
  'gelu',
  'hardswish' as const,
);

const twoLayer = (channels: number) =>
  fc.record({
    reducedChannels: fc
      .double({ min: 0, max: 1, noNaN: true })
      .map((f) => Math.max(1, Math.ceil(f * channels))),
    activation: activationArbitrary,
    bias: fc.boolean(),
  });

/** One generator per excitation kind, for a given channel count. */
export const EXCITATION_ARBITRARIES = {
  mlp: (channels: number) => twoLayer(channels).map((f) => ({ kind: 'mlp' as const, ...f })),
  cbam: (channels: number) => twoLayer(channels).map((f) => ({ kind: 'cbam' as const, ...f })),
  ese: () => fc.boolean().map((bias) => ({ kind: 'ese' as const, bias })),
  eca: () =>
    fc
      .integer({ min: 0, max: 6 })
      .map((half) => ({ kind: 'eca' as const, kernelSize: 2 * half + 1 })),
  // Circular padding wraps around once at most: (k − 1)/2 ≤ C.
  ceca: (channels: number) =>
    fc
      .integer({ min: 0, max: Math.min(6, channels) })
      .map((half) => ({ kind: 'ceca' as const, kernelSize: 2 * half + 1 })),
} satisfies Record<ExcitationKindName, (channels: number) => fc.Arbitrary<ExcitationSpec>>;

/** A normalised spec of `kind` (any kind when left out), channels 1..maxChannels (-0 normalised to 0). */
export function specArbitrary(kind?: ExcitationKindName, maxChannels = 24): fc.Arbitrary<SESpec> {
  const kinds = kind ? [kind] : (Object.keys(EXCITATION_ARBITRARIES) as ExcitationKindName[]);
  return fc
    .record({ channels: fc.integer({ min: 1, max: maxChannels }), kind: fc.constantFrom(...kinds) })
    .chain(({ channels, kind: name }) =>
      fc.record({
        version: fc.constant(2 as const),
        channels: fc.constant(channels),
        squeeze: fc.constantFrom(...excitationKind(name).squeezeModes),
        excitation: EXCITATION_ARBITRARIES[name](channels) as fc.Arbitrary<ExcitationSpec>,
        gate: gateArbitrary,
        gain: fc.constantFrom(1, 2, 0.5),
      }),
    )
    .map((spec) => parseSESpec(spec));
}

/** A version-1 spec (the mlp block as version 1 wrote it). */
export const specV1Arbitrary: fc.Arbitrary<SESpecV1> = fc
  .record({
    channels: fc.integer({ min: 1, max: 24 }),
    reducedFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    squeeze: fc.constantFrom('avg', 'max', 'avgmax' as const),
    activation: activationArbitrary,
    gate: gateArbitrary,
    bias: fc.boolean(),
    gain: fc.constantFrom(1, 2, 0.5),
  })
  .map(({ reducedFraction, ...rest }) => ({
    version: 1 as const,
    ...rest,
    reducedChannels: Math.max(1, Math.ceil(reducedFraction * rest.channels)),
  }));

export function floatsArbitrary(
  length: number,
  f64: boolean,
  range?: { min: number; max: number },
): fc.Arbitrary<FloatArray> {
  const options = { minLength: length, maxLength: length, noNaN: true, noDefaultInfinity: true };
  if (f64) return fc.float64Array({ ...options, ...range });
  return fc.float32Array({
    ...options,
    ...(range && { min: Math.fround(range.min), max: Math.fround(range.max) }),
  });
}

/** Random weights for a spec, one array per present slot; `range` bounds the values. */
export function weightsArbitrary(
  spec: SESpec,
  f64 = false,
  range?: { min: number; max: number },
): fc.Arbitrary<SEBlock['weights']> {
  const present = weightSlots(spec).filter((slot) => slot.present);
  return fc.record(
    Object.fromEntries(
      present.map((slot) => [
        slot.key,
        floatsArbitrary(
          slot.shape.reduce((a, b) => a * b, 1),
          f64,
          range,
        ),
      ]),
    ),
  );
}

/** A random valid block of `kind` (any kind when left out); `f64` makes every weight a Float64Array. */
export function blockArbitrary(f64 = false, kind?: ExcitationKindName): fc.Arbitrary<SEBlock> {
  return specArbitrary(kind).chain((spec) =>
    weightsArbitrary(spec, f64).map((weights) => ({ spec, weights })),
  );
}

/** The smallest valid block (2 channels, 1 hidden, no bias), for tests about files, not maths. */
export const TINY_BLOCK: SEBlock = {
  spec: {
    version: 2,
    channels: 2,
    squeeze: 'avg',
    excitation: { kind: 'mlp', reducedChannels: 1, activation: 'relu', bias: false },
    gate: { type: 'sigmoid' },
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
