import { describe, expect, it } from 'vitest';
import {
  accuracyOf,
  caseTolerance,
  float32Distance,
  float32Ordinal,
  float32Ulp,
  PRECISION_TOLERANCES,
  type SEBlockInput,
  seReference,
  seReferenceFloat32,
} from '../src/index.js';

const next = (v: number) => {
  const f = new Float32Array([v]);
  const i = new Int32Array(f.buffer);
  i[0] = (i[0] as number) + (v >= 0 ? 1 : -1);
  return f[0] as number;
};

describe('float32 ULPs', () => {
  it('measures spacing and distance across magnitudes, zero and subnormals', () => {
    expect(float32Ulp(1)).toBe(2 ** -23);
    expect(float32Ulp(1.5)).toBe(2 ** -23);
    expect(float32Ulp(2)).toBe(2 ** -22);
    expect(float32Ulp(-1024)).toBe(2 ** -13);
    expect(float32Ulp(1e-40)).toBe(2 ** -149);
    for (const v of [1, 0.1, 3e38, 1e-40, -2.5]) {
      const f = Math.fround(v);
      expect(float32Distance(next(f), f)).toBe(1);
      expect(float32Distance(next(next(f)), f)).toBe(2);
    }
    expect(float32Distance(0, -0)).toBe(0);
    expect(float32Distance(2 ** -149, -(2 ** -149))).toBe(2);
    expect(float32Ordinal(-1)).toBe(-float32Ordinal(1));
    expect(float32Distance(Math.fround(0.1), 0.1)).toBe(0); // float64 expectation rounded first
    expect(float32Distance(Number.NaN, 1)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('accuracyOf', () => {
  it('scales errors by max(|y|, |x|) and keeps the strict count too', () => {
    // y = x · e with e ≈ 1e-7: an error of 3e-12 is hundreds of ULPs of y but ~1e-5 ULPs of x.
    const report = accuracyOf([2e-7 + 3e-12], [2e-7], [2]);
    expect(report.worstStrictUlp).toBeGreaterThan(100);
    expect(report.worstUlp).toBeLessThan(0.01);
  });
  it('counts elements over a tolerance and points at the worst one', () => {
    const expected = [1, 2, 3, 4];
    const actual = [1, 2 + 1e-4, next(3), 4];
    const report = accuracyOf(actual, expected, expected, 4);
    expect(report.outOfTolerance).toBe(1);
    expect(report.worst).toMatchObject({ index: 1, expected: 2 });
    expect(report.maxAbsError).toBeCloseTo(1e-4, 6);
    expect(report.worstUlp).toBeCloseTo(1e-4 / 2 ** -22, 0);
  });
  it('treats NaN where a number is expected as infinitely wrong', () => {
    const report = accuracyOf([Number.NaN, 1], [1, 1], [1, 1], 4);
    expect(report.worstUlp).toBe(Number.POSITIVE_INFINITY);
    expect(report.outOfTolerance).toBe(1);
    expect(report.worst.index).toBe(0);
  });
  it('requires NaN where NaN is expected and the same ±Infinity where one is', () => {
    const { NaN: nan, POSITIVE_INFINITY: inf } = Number;
    const expected = [nan, inf, -inf, 6e38, 2];
    const x = [nan, 1, 1, 7e38, 2];
    const exact = accuracyOf([nan, inf, -inf, inf, 2], expected, x, 4);
    expect(exact).toMatchObject({
      worstUlp: 0,
      outOfTolerance: 0,
      nonFinite: 4,
      worstStrictUlp: 0,
    });
    // 6e38 is +Infinity in float32: that is what a float32 backend must return.
    const cases: [number, number][] = [
      [0, 0], // a number where NaN is expected
      [1, 3.4e38], // finite where +Infinity is expected
      [2, inf], // the wrong sign
      [3, nan],
      [4, inf], // Infinity where a number is expected
    ];
    for (const [at, value] of cases) {
      const actual = [nan, inf, -inf, inf, 2];
      actual[at] = value;
      const report = accuracyOf(actual, expected, x, 4);
      expect(report.worstUlp, `element ${at} = ${value}`).toBe(Number.POSITIVE_INFINITY);
      expect(report.worst.index).toBe(at);
      expect(report.outOfTolerance).toBe(1);
    }
  });
});

describe('the naive float32 evaluation on NaN and overflow', () => {
  it('reproduces the reference NaN and ±Infinity exactly (zero ULPs there)', () => {
    const block: SEBlockInput = {
      spec: {
        version: 2,
        channels: 2,
        excitation: { kind: 'ese', bias: false },
        gate: { type: 'sigmoid' },
      },
      weights: { fcWeight: Float32Array.from([1, 0.5, -0.5, 1]) },
    };
    const x = Float32Array.from([3e38, 3e38, 1, 1, Number.NaN, 2, 3, 4]); // [2, 2, 2, 1]
    const shape = [2, 2, 2, 1];
    const exact = seReference(block.spec, block.weights, x, shape);
    expect(Number.isNaN(exact[4] as number)).toBe(true);
    const report = accuracyOf(seReferenceFloat32(block, x, shape), exact, x);
    expect(report.nonFinite).toBeGreaterThan(0);
    expect(report.worstUlp).toBeLessThan(3);
  });
});

describe('the naive float32 reference and case tolerances', () => {
  const block: SEBlockInput = {
    spec: {
      version: 1,
      channels: 3,
      reducedChannels: 2,
      squeeze: 'avgmax',
      activation: 'gelu',
      gate: { type: 'hardsigmoid', alpha: 0.2, beta: 0.5 },
      bias: true,
      gain: 2,
    },
    weights: {
      fc1Weight: Float32Array.from([0.3, -0.2, 0.5, 0.1, 0.4, -0.6]),
      fc1Bias: Float32Array.from([0.05, -0.1]),
      fc2Weight: Float32Array.from([0.7, -0.3, 0.2, 0.9, -0.5, 0.4]),
      fc2Bias: Float32Array.from([0.1, 0, -0.2]),
    },
  };
  const shape = [2, 3, 2, 2] as const;
  const x = Float32Array.from({ length: 24 }, (_, i) => Math.sin(i) * 2);

  it('is within a couple of ULPs of the float64 reference on unit-scale data', () => {
    const y = seReference(block.spec, block.weights, x, shape);
    expect(accuracyOf(seReferenceFloat32(block, x, shape), y, x).worstUlp).toBeLessThan(3);
  });

  it('gives base + factor × naive error, and float16 a coarser bound', () => {
    const y = seReference(block.spec, block.weights, x, shape);
    const t32 = caseTolerance({ block, x, shape });
    expect(t32.ulps).toBeCloseTo(
      PRECISION_TOLERANCES.float32.baseUlps +
        PRECISION_TOLERANCES.float32.naiveFactor * t32.naiveUlps,
      10,
    );
    expect(caseTolerance({ block, x, shape }, 'float16').ulps).toBeGreaterThan(8192 * t32.ulps - 1);
    expect(y.length).toBe(24);
  });

  it('measures conditioning against the float64 reference, so a wrong expected y cannot loosen it', () => {
    const honest = caseTolerance({ block, x, shape });
    const y = seReference(block.spec, block.weights, x, shape);
    y[3] = (y[3] as number) + 1e-3; // a corrupted golden file
    const corrupted = caseTolerance({ block, x, shape });
    expect(corrupted.ulps).toBe(honest.ulps);
    expect(accuracyOf(seReferenceFloat32(block, x, shape), y, x).worstUlp).toBeGreaterThan(
      corrupted.ulps,
    );
  });
});
