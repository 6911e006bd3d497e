import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import schema from '../schema/se-spec.v1.schema.json' with { type: 'json' };
import { canonicalSpecJSON, parseSESpec, SESpecError, specsEqual } from '../src/index.js';

const valid = {
  version: 1,
  channels: 64,
  reducedChannels: 4,
  squeeze: 'avg',
  activation: 'relu',
  gate: { type: 'sigmoid' },
  bias: true,
} as const;

function specError(input: unknown): SESpecError {
  try {
    parseSESpec(input);
  } catch (error) {
    expect(error).toBeInstanceOf(SESpecError);
    return error as SESpecError;
  }
  throw new Error('parseSESpec accepted an invalid spec');
}

describe('parseSESpec', () => {
  it('accepts a valid spec and fills the default gain', () => {
    expect(parseSESpec(valid)).toEqual({ ...valid, gain: 1 });
    expect(parseSESpec({ ...valid, gain: 2 }).gain).toBe(2);
  });

  it('names the field, the value received and what is allowed', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ ...valid, version: 2 }, 'spec.version', /expected one of 1, received 2/],
      [{ ...valid, channels: 0 }, 'spec.channels', /integer from 1/],
      [{ ...valid, channels: 1.5 }, 'spec.channels', /received 1.5/],
      [
        { ...valid, reducedChannels: 65 },
        'spec.reducedChannels',
        /at most channels \(64\).*received 65/,
      ],
      [
        { ...valid, squeeze: 'mean' },
        'spec.squeeze',
        /"avg" \| "max" \| "avgmax".*received "mean"/,
      ],
      [{ ...valid, activation: 'swish' }, 'spec.activation', /received "swish"/],
      [
        { ...valid, gate: { type: 'hardsigmoid', alpha: Number.NaN, beta: 0.5 } },
        'spec.gate.alpha',
        /finite number, received NaN/,
      ],
      [
        { ...valid, gate: { type: 'hardsigmoid', alpha: 0.2, beta: Number.POSITIVE_INFINITY } },
        'spec.gate.beta',
        /received Infinity/,
      ],
      [
        { ...valid, gate: { type: 'hardsigmoid', beta: 0.5 } },
        'spec.gate.alpha',
        /explicit number/,
      ],
      [{ ...valid, gate: { type: 'sigmoid', alpha: 1 } }, 'spec.gate.alpha', /no such field/],
      [{ ...valid, bias: 'yes' }, 'spec.bias', /true or false, received "yes"/],
      [{ ...valid, gain: Number.NaN }, 'spec.gain', /finite number/],
      [{ ...valid, excitation: 'eca' }, 'spec.excitation', /no such field/],
      [[1, 2], 'spec', /an object/],
    ];
    for (const [input, field, message] of cases) {
      const error = specError(input);
      expect(error.field, JSON.stringify(input)).toBe(field);
      expect(error.message).toMatch(message);
    }
  });

  it('allows reducedChannels above channels only up to the make_divisible floor of 8', () => {
    expect(parseSESpec({ ...valid, channels: 4, reducedChannels: 8 }).reducedChannels).toBe(8);
    expect(specError({ ...valid, channels: 4, reducedChannels: 9 }).field).toBe(
      'spec.reducedChannels',
    );
  });

  it('round-trips through canonical JSON', () => {
    const spec = parseSESpec({ ...valid, gate: { type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 } });
    const again = parseSESpec(JSON.parse(JSON.stringify(canonicalSpecJSON(spec))));
    expect(specsEqual(spec, again)).toBe(true);
    expect(specsEqual(spec, { ...again, bias: false })).toBe(false);
  });
});

describe('the exported JSON Schema agrees with parseSESpec', () => {
  const validate = new Ajv2020({ strict: true }).compile(schema);
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
  const specArb = fc
    .record(
      {
        version: mostly(fc.constant(1)),
        channels: mostly(fc.integer({ min: 1, max: 64 })),
        reducedChannels: mostly(fc.integer({ min: 1, max: 64 })),
        squeeze: mostly(fc.constantFrom('avg', 'max', 'avgmax')),
        activation: mostly(fc.constantFrom('relu', 'relu6', 'silu', 'gelu', 'hardswish')),
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
    .chain((spec) =>
      fc.oneof(
        { arbitrary: fc.constant(spec), weight: 9 },
        { arbitrary: anyValue.map((extra) => ({ ...spec, extra })), weight: 1 },
      ),
    );

  it('on random specs, except the cross-field reducedChannels rule the schema cannot state', () => {
    const outcomes = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(specArb, (input) => {
        let accepted = true;
        try {
          parseSESpec(input);
        } catch (error) {
          if (!(error instanceof SESpecError)) throw error;
          accepted = false;
        }
        const crossFieldOnly =
          typeof input.channels === 'number' &&
          typeof input.reducedChannels === 'number' &&
          input.reducedChannels > Math.max(input.channels, 8);
        if (!crossFieldOnly) expect(validate(input), JSON.stringify(input)).toBe(accepted);
        else expect(accepted).toBe(false);
        outcomes[accepted ? 'accepted' : 'rejected']++;
      }),
      { numRuns: 2000 },
    );
    // The comparison means something only if both verdicts were exercised.
    expect(outcomes.accepted).toBeGreaterThan(20);
    expect(outcomes.rejected).toBeGreaterThan(20);
  });
});
