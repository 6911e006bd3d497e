import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeSafetensors,
  decodeSEBundle,
  decodeSEWeights,
  encodeSEBundle,
  encodeSEWeights,
  type FloatArray,
  parseSESpec,
  type SEBlock,
  SEShapeError,
  SEWeightFormatError,
  weightSlots,
} from '../src/index.js';
import { halfBitsToNumber, numberToHalfBits } from '../src/weights/float16.js';
import { blockArbitrary } from './arbitraries.js';

/** Bit-level equality (so -0 vs 0 and every float32 payload count). */
function sameBits(a: FloatArray | undefined, b: FloatArray | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.constructor !== b.constructor || a.length !== b.length) return false;
  const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return ua.every((v, i) => v === ub[i]);
}

function expectSameBlock(actual: SEBlock, expected: SEBlock) {
  expect(actual.spec).toEqual(parseSESpec(expected.spec)); // normalised: gain filled, -0 → 0
  expect(Object.keys(actual.weights).sort()).toEqual(Object.keys(expected.weights).sort());
  for (const key of Object.keys(expected.weights)) {
    expect(sameBits(actual.weights[key], expected.weights[key]), key).toBe(true);
  }
}

describe('encodeSEWeights → decodeSEWeights', () => {
  it('round-trips random float32 blocks bit-exactly', () => {
    fc.assert(
      fc.property(blockArbitrary(), (block) =>
        expectSameBlock(decodeSEWeights(encodeSEWeights(block)), block),
      ),
      { numRuns: 300 },
    );
  });

  it('round-trips float64 weights bit-exactly when stored as F64', () => {
    fc.assert(
      fc.property(blockArbitrary(true), (block) =>
        expectSameBlock(decodeSEWeights(encodeSEWeights(block, { dtype: 'F64' })), block),
      ),
      { numRuns: 100 },
    );
  });

  it('stores F16 on request, rounding each value to the nearest half', () => {
    fc.assert(
      fc.property(blockArbitrary(), (block) => {
        const tooLarge = Object.values(block.weights).some((w) =>
          w?.some((v: number) => Math.abs(v) >= 65520),
        );
        if (tooLarge) {
          expect(() => encodeSEWeights(block, { dtype: 'F16' })).toThrow(/does not fit in F16/);
          return;
        }
        const decoded = decodeSEWeights(encodeSEWeights(block, { dtype: 'F16' }));
        const { tensors } = decodeSafetensors(encodeSEWeights(block, { dtype: 'F16' }));
        expect([...tensors.values()].map((t) => t.dtype)).toEqual(
          [...tensors.values()].map(() => 'F16'),
        );
        // Re-encoding the decoded halves is lossless: they are already representable.
        expectSameBlock(decodeSEWeights(encodeSEWeights(decoded, { dtype: 'F16' })), decoded);
      }),
      { numRuns: 100 },
    );
  });

  it('writes data 8-byte aligned, as safetensors readers expect', () => {
    fc.assert(
      fc.property(blockArbitrary(), (block) => {
        const bytes = encodeSEWeights(block);
        const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
        expect((8 + headerLength) % 8).toBe(0);
      }),
      { numRuns: 50 },
    );
  });
});

describe('bundles of many blocks', () => {
  it('round-trip every block under its prefix', () => {
    const prefix = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}(\.[0-9]{1,2}){0,2}\.se$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(prefix, blockArbitrary()), {
          minLength: 1,
          maxLength: 4,
          selector: ([p]) => p,
        }),
        (entries) => {
          const blocks = new Map(entries);
          const decoded = decodeSEBundle(encodeSEBundle(blocks));
          expect([...decoded.keys()].sort()).toEqual([...blocks.keys()].sort());
          for (const [key, block] of blocks) expectSameBlock(decoded.get(key) as SEBlock, block);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('reads a single-block file as a bundle with prefix ""', () => {
    fc.assert(
      fc.property(blockArbitrary(), (block) => {
        const decoded = decodeSEBundle(encodeSEWeights(block));
        expectSameBlock(decoded.get('') as SEBlock, block);
      }),
      { numRuns: 20 },
    );
  });

  it('tells a reader of one block that the file is a bundle', () => {
    const [[, block]] = fc.sample(fc.tuple(fc.constant('a.se'), blockArbitrary()), 1) as [
      [string, SEBlock],
    ];
    expect(() => decodeSEWeights(encodeSEBundle({ 'a.se': block }))).toThrow(
      /bundle of many blocks/,
    );
  });
});

describe('encoding validates before writing anything (every kind)', () => {
  const blocks = fc.sample(blockArbitrary(), { numRuns: 40, seed: 7 }) as SEBlock[];
  const firstKey = (block: SEBlock) => weightSlots(block.spec)[0]?.key as string;

  it('rejects weights of the wrong size with the expected shape in the message', () => {
    for (const block of blocks) {
      const key = firstKey(block);
      const bad = {
        ...block,
        weights: {
          ...block.weights,
          [key]: new Float32Array((block.weights[key]?.length ?? 0) + 1),
        },
      };
      expect(() => encodeSEWeights(bad)).toThrow(SEShapeError);
      expect(() => encodeSEWeights(bad)).toThrow(
        new RegExp(
          `weights.${key}: expected \\d+ values \\(\\[[\\d, ]+\\] = \\[.+\\] for this spec\\)`,
        ),
      );
    }
  });
  it('rejects non-finite weights, naming the element', () => {
    for (const block of blocks) {
      const key = firstKey(block);
      const values = Float32Array.from(block.weights[key] as Float32Array);
      values[0] = Number.NaN;
      const bad = { ...block, weights: { ...block.weights, [key]: values } };
      expect(() => encodeSEWeights(bad)).toThrow(SEWeightFormatError);
      expect(() => encodeSEWeights(bad)).toThrow(new RegExp(`${key}\\[0\\]`));
    }
  });
  it('rejects an optional weight the spec rules out, and weights of another kind', () => {
    for (const block of blocks) {
      const absent = weightSlots(block.spec).find((slot) => !slot.present);
      if (absent) {
        const weights = { ...block.weights, [absent.key]: new Float32Array(absent.shape[0] ?? 1) };
        expect(() => encodeSEWeights({ spec: block.spec, weights })).toThrow(
          /no such weight \(spec.excitation.bias is false\)/,
        );
      }
      const stray = {
        ...block.weights,
        convWeight: new Float32Array(3),
        fcWeight: new Float32Array(1),
        fc1Weight: new Float32Array(1),
      };
      expect(() => encodeSEWeights({ spec: block.spec, weights: stray })).toThrow(SEShapeError);
    }
  });
});

describe('float16 rounding', () => {
  it('rounds float64 values once (no double rounding through float32)', () => {
    // 1 + 2^-11 + 2^-40 is just above the tie between 1 and 1 + 2^-10: it must round up.
    // Through float32 it would first become exactly 1 + 2^-11, a tie, and round to even (1).
    const value = 1 + 2 ** -11 + 2 ** -40;
    expect(halfBitsToNumber(numberToHalfBits(value))).toBe(1 + 2 ** -10);
  });
  it('agrees with exact rounding on ties, subnormals, overflow and signs', () => {
    const cases: [number, number][] = [
      [1 + 2 ** -11, 1], // tie → even
      [1 + 3 * 2 ** -11, 1 + 2 ** -9], // tie → even (up)
      [65504, 65504],
      [65519.99, 65504],
      [65520, Number.POSITIVE_INFINITY],
      [2 ** -24, 2 ** -24], // smallest subnormal
      [2 ** -25, 0], // tie with zero → even (0)
      [3 * 2 ** -26, 2 ** -24],
      [2 ** -14 - 2 ** -25, 2 ** -14], // rounds up into the normals
      [-0.1, -0.0999755859375],
    ];
    for (const [input, expected] of cases)
      expect(halfBitsToNumber(numberToHalfBits(input)), String(input)).toBe(expected);
    expect(Object.is(halfBitsToNumber(numberToHalfBits(-0)), -0)).toBe(true);
    expect(Number.isNaN(halfBitsToNumber(numberToHalfBits(Number.NaN)))).toBe(true);
  });
  it('matches float32-path rounding for every float32 input tried (where there is no double rounding)', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, min: -65000, max: 65000 }), (v) => {
        const bits = numberToHalfBits(v);
        const back = halfBitsToNumber(bits);
        const step =
          Math.abs(v) < 2 ** -14 ? 2 ** -24 : 2 ** (Math.floor(Math.log2(Math.abs(v) || 1)) - 10);
        expect(Math.abs(back - v)).toBeLessThanOrEqual(step / 2);
      }),
      { numRuns: 2000 },
    );
  });
});
