import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import schemaV1 from '../schema/se-spec.v1.schema.json' with { type: 'json' };
import schemaV2 from '../schema/se-spec.v2.schema.json' with { type: 'json' };
import {
  EXCITATION_KIND_NAMES,
  type ExcitationKindName,
  parseSESpec,
  SESpecError,
  specJSONSchema,
} from '../src/index.js';

const anyValue = fc.oneof(
  fc.integer({ min: -2, max: 80 }),
  fc.double(),
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.constant(null),
);
const gateArb = fc.oneof(
  fc.constant({ type: 'sigmoid' }),
  fc.record({
    type: fc.constant('hardsigmoid'),
    alpha: fc.double({ noNaN: true, noDefaultInfinity: true }),
    beta: fc.double({ noNaN: true, noDefaultInfinity: true }),
  }),
  fc.record({ type: fc.constantFrom('hardsigmoid', 'relu') }, { requiredKeys: [] }),
);
// Mostly valid values, sometimes junk, so both verdicts occur often.
const mostly = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: anyValue, weight: 1 });
const withExtraField = <T extends object>(value: T) =>
  fc.oneof(
    { arbitrary: fc.constant(value), weight: 9 },
    { arbitrary: anyValue.map((extra) => ({ ...value, extra })), weight: 1 },
  );
const activation = fc.constantFrom('relu', 'relu6', 'silu', 'gelu', 'hardswish');
const twoLayer = (kind: string) =>
  fc.record(
    {
      kind: fc.constant(kind),
      reducedChannels: mostly(fc.integer({ min: 1, max: 64 })),
      activation: mostly(activation),
      bias: mostly(fc.boolean()),
    },
    { requiredKeys: ['kind', 'reducedChannels', 'activation'] },
  );

const ecaLike = (kind: string) =>
  fc.record(
    {
      kind: fc.constant(kind),
      kernelSize: mostly(
        fc.oneof(
          fc.integer({ min: -1, max: 12 }),
          fc.record(
            {
              rule: mostly(fc.constantFrom('eca-net', 'timm')),
              gamma: mostly(fc.double({ min: -1, max: 4, noNaN: true })),
              beta: mostly(fc.double({ min: -2, max: 2, noNaN: true })),
            },
            { requiredKeys: [] },
          ),
        ),
      ),
    },
    { requiredKeys: ['kind'] },
  );

/** Mostly valid excitation inputs of every kind: the table fails to compile until a new kind has one. */
const EXCITATION_INPUTS = {
  mlp: twoLayer('mlp'),
  cbam: twoLayer('cbam'),
  ese: fc.record(
    { kind: fc.constant('ese'), bias: mostly(fc.boolean()) },
    { requiredKeys: ['kind'] },
  ),
  eca: ecaLike('eca'),
  ceca: ecaLike('ceca'),
} satisfies Record<ExcitationKindName, fc.Arbitrary<object>>;

const excitationArb = fc
  .constantFrom(...EXCITATION_KIND_NAMES)
  .chain((kind) => EXCITATION_INPUTS[kind] as fc.Arbitrary<object>)
  .chain(withExtraField);

const specV2Arb = fc
  .record(
    {
      version: mostly(fc.constant(2)),
      channels: mostly(fc.integer({ min: 1, max: 64 })),
      squeeze: mostly(fc.constantFrom('avg', 'max', 'avgmax', 'avg+max')),
      excitation: mostly(excitationArb),
      gate: mostly(gateArb),
      gain: mostly(fc.double({ noNaN: true, noDefaultInfinity: true })),
    },
    { requiredKeys: ['version', 'channels', 'excitation', 'gate'] },
  )
  .chain(withExtraField);

/**
 * Rules a JSON Schema cannot state, as parseSESpec words them: reducedChannels
 * at most max(channels, 8), an adaptive ECA kernel (from channels, gamma
 * and beta) that fits the size limit, and a ceca kernel whose (k − 1)/2 is at
 * most channels.
 */
const CROSS_FIELD = /at most channels|kernel size of at most/;

/** parseSESpec's verdict, and whether a cross-field rule decided it. */
function verdict(input: Record<string, unknown>) {
  try {
    parseSESpec(input);
    return { accepted: true, crossField: false };
  } catch (error) {
    if (!(error instanceof SESpecError)) throw error;
    return { accepted: false, crossField: CROSS_FIELD.test(error.expected) };
  }
}

function agree(validate: (input: unknown) => boolean, arb: fc.Arbitrary<Record<string, unknown>>) {
  const outcomes = { accepted: 0, rejected: 0 };
  fc.assert(
    fc.property(arb, (input) => {
      const { accepted, crossField } = verdict(input);
      if (!crossField) expect(validate(input), JSON.stringify(input)).toBe(accepted);
      outcomes[accepted ? 'accepted' : 'rejected']++;
    }),
    { numRuns: 2000 },
  );
  // The comparison means something only if both verdicts were exercised.
  expect(outcomes.accepted).toBeGreaterThan(20);
  expect(outcomes.rejected).toBeGreaterThan(20);
}

describe('the version-2 JSON Schema', () => {
  it('is what the excitation kinds generate (rerun scripts/write-spec-schema.mjs after changing a kind)', () => {
    expect(schemaV2).toEqual(specJSONSchema());
  });

  it('is exported as spec.schema.json; version 1 stays as spec.v1.schema.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.exports['./spec.schema.json']).toBe('./schema/se-spec.v2.schema.json');
    expect(pkg.exports['./spec.v1.schema.json']).toBe('./schema/se-spec.v1.schema.json');
  });

  it('agrees with parseSESpec on random specs of every kind, but for the cross-field rules', () => {
    const validate = new Ajv2020({ strict: true }).compile(schemaV2);
    agree((input) => validate(input), specV2Arb as fc.Arbitrary<Record<string, unknown>>);
  });
});

describe('the version-1 JSON Schema', () => {
  const specV1Arb = fc
    .record(
      {
        version: mostly(fc.constant(1)),
        channels: mostly(fc.integer({ min: 1, max: 64 })),
        reducedChannels: mostly(fc.integer({ min: 1, max: 64 })),
        squeeze: mostly(fc.constantFrom('avg', 'max', 'avgmax')),
        activation: mostly(activation),
        gate: mostly(gateArb),
        bias: mostly(fc.boolean()),
        gain: mostly(fc.double({ noNaN: true, noDefaultInfinity: true })),
      },
      {
        requiredKeys: [
          'version',
          'channels',
          'reducedChannels',
          'squeeze',
          'activation',
          'gate',
          'bias',
        ],
      },
    )
    .chain(withExtraField);

  it('still agrees with parseSESpec on version-1 specs, which it reads as kind mlp', () => {
    const validate = new Ajv2020({ strict: true }).compile(schemaV1);
    agree((input) => validate(input), specV1Arb as fc.Arbitrary<Record<string, unknown>>);
  });
});
