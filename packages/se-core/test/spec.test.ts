import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalSpecJSON,
  defineSESpec,
  EXCITATION_KIND_NAMES,
  ecaKernelSize,
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

describe('eca kernel size', () => {
  const eca = (kernelSize?: unknown, channels = 64) =>
    parseSESpec({ ...valid, channels, excitation: { kind: 'eca', kernelSize } }).excitation;

  it('is stored as the integer, the adaptive size of ECA-Net when left out', () => {
    expect(eca()).toEqual({ kind: 'eca', kernelSize: 3 });
    expect(eca(undefined, 2048)).toEqual({ kind: 'eca', kernelSize: 7 });
    expect(eca({ rule: 'timm' }, 4)).toEqual({ kind: 'eca', kernelSize: 3 });
    expect(eca({ gamma: 1, beta: 0 }, 256)).toEqual({ kind: 'eca', kernelSize: 9 });
    expect(eca(5)).toEqual({ kind: 'eca', kernelSize: 5 });
  });

  it('matches ECA-Net and timm at the widths real networks use (values from Python)', () => {
    // Python: t = int(abs(math.log(C, 2) + 1) / 2); k = t if t % 2 else t + 1; timm: max(k, 3).
    // Both sides of every step (k changes where log2(C) + 1 crosses a multiple of 2).
    const table: [number, number, number][] = [
      [1, 1, 3],
      [2, 1, 3],
      [3, 1, 3],
      [7, 1, 3],
      [8, 3, 3],
      [31, 3, 3],
      [32, 3, 3],
      [127, 3, 3],
      [128, 5, 5],
      [256, 5, 5],
      [512, 5, 5],
      [2047, 5, 5],
      [2048, 7, 7],
      [8191, 7, 7],
      [8192, 7, 7],
      [524287, 9, 9],
      [524288, 11, 11],
      [1048576, 11, 11],
    ];
    for (const [c, ecaNet, timm] of table) {
      expect([ecaKernelSize(c), ecaKernelSize(c, { rule: 'timm' })], `C = ${c}`).toEqual([
        ecaNet,
        timm,
      ]);
    }
  });

  it('is odd, at least 3 under the timm rule, and never shrinks as C grows (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1 << 20 }),
        fc.integer({ min: 1, max: 1 << 19 }),
        (c, more) => {
          const k = ecaKernelSize(c);
          expect(k % 2).toBe(1);
          expect(ecaKernelSize(c, { rule: 'timm' })).toBe(Math.max(k, 3));
          expect(ecaKernelSize(Math.min(c + more, 1 << 20))).toBeGreaterThanOrEqual(k);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses even, zero and non-integer sizes and bad options, naming the field', () => {
    const cases: [unknown, string, RegExp][] = [
      [4, 'spec.excitation.kernelSize', /an odd integer/],
      [0, 'spec.excitation.kernelSize', /integer from 1/],
      [2.5, 'spec.excitation.kernelSize', /integer from 1/],
      [{ rule: 'paper' }, 'spec.excitation.kernelSize.rule', /"eca-net" \| "timm"/],
      [{ gamma: 0 }, 'spec.excitation.kernelSize.gamma', /a number > 0/],
      [{ beta: null }, 'spec.excitation.kernelSize.beta', /finite number, received null/],
      [{ size: 3 }, 'spec.excitation.kernelSize.size', /no such field/],
      [{ gamma: 1e-300 }, 'spec.excitation.kernelSize', /kernel size of at most/],
    ];
    for (const [kernelSize, field, message] of cases) {
      const error = specError({ ...valid, excitation: { kind: 'eca', kernelSize } });
      expect(error.field, JSON.stringify(kernelSize)).toBe(field);
      expect(error.message).toMatch(message);
    }
  });
});

describe('ceca kernel size', () => {
  const ceca = (kernelSize: unknown, channels: number) =>
    parseSESpec({ ...valid, channels, excitation: { kind: 'ceca', kernelSize } }).excitation;

  it("takes eca's sizes and rules", () => {
    expect(ceca(undefined, 2048)).toEqual({ kind: 'ceca', kernelSize: 7 });
    expect(ceca({ rule: 'timm' }, 1)).toEqual({ kind: 'ceca', kernelSize: 3 });
    expect(ceca(1, 1)).toEqual({ kind: 'ceca', kernelSize: 1 });
    expect(specError({ ...valid, excitation: { kind: 'ceca', kernelSize: 4 } }).field).toBe(
      'spec.excitation.kernelSize',
    );
  });

  it('wraps around once at most, as PyTorch: (k − 1)/2 = C is the largest', () => {
    expect(ceca(3, 1)).toEqual({ kind: 'ceca', kernelSize: 3 });
    expect(ceca(7, 3)).toEqual({ kind: 'ceca', kernelSize: 7 });
    for (const [kernelSize, channels] of [
      [5, 1],
      [9, 3],
      [{ gamma: 0.1 }, 2], // the rule's own size, 21, for 2 channels
    ] as const) {
      const error = specError({
        ...valid,
        channels,
        excitation: { kind: 'ceca', kernelSize },
      });
      expect(error.field).toBe('spec.excitation.kernelSize');
      expect(error.expected).toBe(
        `an odd integer whose (k − 1)/2 is at most channels (${channels}): circular padding wraps around once at most, as PyTorch's`,
      );
      expect(error.received).toBe(typeof kernelSize === 'number' ? kernelSize : 21);
    }
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
