import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalSpecJSON,
  defineSESpec,
  EXCITATION_KIND_NAMES,
  excitationKind,
  parseSESpec,
  SESpecError,
  specsEqual,
} from '../src/index.js';
import { specArbitrary, specV1Arbitrary } from './arbitraries.js';

const mlp = { kind: 'mlp', reducedChannels: 4, activation: 'relu', bias: true } as const;
const valid = {
  version: 2,
  channels: 64,
  squeeze: 'avg',
  excitation: mlp,
  gate: { type: 'sigmoid' },
  gain: 1,
} as const;
const v1 = {
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
  throw new Error(`parseSESpec accepted an invalid spec: ${JSON.stringify(input)}`);
}

describe('parseSESpec (version 2)', () => {
  it('accepts a valid spec, fills the kind default squeeze and gain 1', () => {
    expect(parseSESpec(valid)).toEqual(valid);
    const { squeeze: _, gain: __, ...bare } = valid;
    expect(parseSESpec(bare)).toEqual(valid);
    const cbam = parseSESpec({ ...bare, excitation: { ...mlp, kind: 'cbam' } });
    expect(cbam.squeeze).toBe('avg+max');
  });

  it('stores keys in the canonical order, whatever order they were written in', () => {
    const shuffled = {
      gain: 2,
      gate: { beta: 0.5, alpha: 0.2, type: 'hardsigmoid' },
      excitation: { bias: false, activation: 'gelu', reducedChannels: 2, kind: 'mlp' },
      squeeze: 'max',
      channels: 8,
      version: 2,
    };
    expect(JSON.stringify(canonicalSpecJSON(shuffled as never))).toBe(
      '{"version":2,"channels":8,"squeeze":"max","excitation":{"kind":"mlp","reducedChannels":2,"activation":"gelu","bias":false},"gate":{"type":"hardsigmoid","alpha":0.2,"beta":0.5},"gain":2}',
    );
  });

  it('names the field, the value received and what is allowed', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ ...valid, version: 3 }, 'spec.version', /expected one of 1, 2, received 3/],
      [{ ...valid, channels: 0 }, 'spec.channels', /integer from 1/],
      [{ ...valid, channels: 1.5 }, 'spec.channels', /received 1.5/],
      [{ ...valid, excitation: 'mlp' }, 'spec.excitation', /an object/],
      [
        { ...valid, excitation: { kind: 'se' } },
        'spec.excitation.kind',
        /"mlp" \| .*received "se"/,
      ],
      [
        { ...valid, excitation: { ...mlp, reducedChannels: 65 } },
        'spec.excitation.reducedChannels',
        /at most channels \(64\).*received 65/,
      ],
      [
        { ...valid, excitation: { ...mlp, activation: 'swish' } },
        'spec.excitation.activation',
        /received "swish"/,
      ],
      [{ ...valid, excitation: { ...mlp, bias: 1 } }, 'spec.excitation.bias', /true or false/],
      [
        { ...valid, excitation: { ...mlp, kernelSize: 3 } },
        'spec.excitation.kernelSize',
        /no such field/,
      ],
      [
        { ...valid, excitation: { kind: 'ese' } },
        'spec.excitation.bias',
        /true or false, received undefined/,
      ],
      [
        { ...valid, squeeze: 'mean' },
        'spec.squeeze',
        /"avg" \| "max" \| "avgmax" \| "avg\+max".*received "mean"/,
      ],
      [
        { ...valid, squeeze: 'avg+max' },
        'spec.squeeze',
        /for excitation kind "mlp", received "avg\+max"/,
      ],
      [
        { ...valid, excitation: { ...mlp, kind: 'cbam' }, squeeze: 'avg' },
        'spec.squeeze',
        /one of "avg\+max" for excitation kind "cbam"/,
      ],
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
      [{ ...valid, gain: Number.NaN }, 'spec.gain', /finite number/],
      [{ ...valid, reducedChannels: 4 }, 'spec.reducedChannels', /no such field/],
      [[1, 2], 'spec', /an object/],
    ];
    for (const [input, field, message] of cases) {
      const error = specError(input);
      expect(error.field, JSON.stringify(input)).toBe(field);
      expect(error.message, field).toMatch(message);
    }
  });

  it('allows reducedChannels above channels only up to the make_divisible floor of 8', () => {
    const narrow = (reducedChannels: number) => ({
      ...valid,
      channels: 4,
      excitation: { ...mlp, reducedChannels },
    });
    expect(parseSESpec(narrow(8)).excitation.reducedChannels).toBe(8);
    expect(specError(narrow(9)).field).toBe('spec.excitation.reducedChannels');
  });

  it('types the result by the literal excitation kind', () => {
    const spec = defineSESpec({ ...valid, excitation: { kind: 'ese', bias: true } });
    const bias: boolean = spec.excitation.bias; // compiles only because the kind is known
    expect(bias).toBe(true);
  });
});

describe('version-1 specs read as kind mlp', () => {
  it('upgrades every field, filling gain', () => {
    expect(parseSESpec(v1)).toEqual(valid);
    expect(specsEqual(v1, valid)).toBe(true);
    expect(parseSESpec({ ...v1, gain: 2 }).gain).toBe(2);
  });

  it('names version-1 fields in errors, as the file wrote them', () => {
    const cases: [unknown, string][] = [
      [{ ...v1, reducedChannels: 65 }, 'spec.reducedChannels'],
      [{ ...v1, activation: 'swish' }, 'spec.activation'],
      [{ ...v1, bias: 'yes' }, 'spec.bias'],
      [{ ...v1, squeeze: 'avg+max' }, 'spec.squeeze'],
      [{ ...v1, excitation: mlp }, 'spec.excitation'],
      [{ ...v1, gate: { type: 'hardsigmoid', alpha: 1 } }, 'spec.gate.beta'],
    ];
    for (const [input, field] of cases) expect(specError(input).field).toBe(field);
  });

  it('upgrades any version-1 spec to the same function (property)', () => {
    fc.assert(
      fc.property(specV1Arbitrary, (spec) => {
        const upgraded = parseSESpec(spec);
        expect(upgraded.version).toBe(2);
        expect(upgraded.excitation).toEqual({
          kind: 'mlp',
          reducedChannels: spec.reducedChannels,
          activation: spec.activation,
          bias: spec.bias,
        });
        expect(specsEqual(spec, upgraded)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('canonical form, for every kind (properties)', () => {
  it('parse ∘ canonical is idempotent and survives JSON', () => {
    fc.assert(
      fc.property(specArbitrary(), (spec) => {
        const once = canonicalSpecJSON(spec);
        const text = JSON.stringify(once);
        expect(JSON.stringify(canonicalSpecJSON(JSON.parse(text)))).toBe(text);
        expect(specsEqual(spec, JSON.parse(text))).toBe(true);
        expect(parseSESpec(spec)).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });

  it('changing any one field changes the function', () => {
    fc.assert(
      fc.property(specArbitrary(), (spec) => {
        expect(specsEqual(spec, { ...spec, gain: spec.gain + 1 })).toBe(false);
        expect(specsEqual(spec, { ...spec, channels: spec.channels + 8 })).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('a bad excitation field always gives SESpecError naming it', () => {
    const junk = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.constant(null),
      fc.constant(-1),
      fc.double(),
    );
    fc.assert(
      fc.property(specArbitrary(), fc.nat(), junk, (spec, pick, value) => {
        const fields = Object.keys(spec.excitation).filter((f) => f !== 'kind');
        if (fields.length === 0) return;
        const field = fields[pick % fields.length] as string;
        const bad = { ...spec, excitation: { ...spec.excitation, [field]: value } };
        let accepted = true;
        try {
          parseSESpec(bad);
        } catch (error) {
          accepted = false;
          expect(error).toBeInstanceOf(SESpecError);
          expect((error as SESpecError).field).toBe(`spec.excitation.${field}`);
        }
        // The junk may happen to be valid (a number in range): then it must parse to itself.
        if (accepted)
          expect((parseSESpec(bad).excitation as unknown as Record<string, unknown>)[field]).toBe(
            value,
          );
      }),
      { numRuns: 400 },
    );
  });

  it('every kind lists a default squeeze and refuses the others', () => {
    for (const name of EXCITATION_KIND_NAMES) {
      const kind = excitationKind(name);
      expect(kind.squeezeModes.length).toBeGreaterThan(0);
      expect(kind.kind).toBe(name);
    }
  });
});
