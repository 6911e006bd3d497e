import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_FUNCTIONS,
  erf,
  erfc,
  SEShapeError,
  seReference,
  seReferenceDetailed,
  transposeLayout,
} from '../src/index.js';
import { blockArbitrary } from './arbitraries.js';

const zeroBlock = (
  channels: number,
  gate: { type: 'sigmoid' } | { type: 'hardsigmoid'; alpha: number; beta: number },
  gain = 1,
) => ({
  spec: {
    version: 1,
    channels,
    reducedChannels: 1,
    squeeze: 'avg',
    activation: 'relu',
    gate,
    bias: true,
    gain,
  } as const,
  weights: {
    fc1Weight: new Float32Array(channels),
    fc1Bias: new Float32Array(1),
    fc2Weight: new Float32Array(channels),
    fc2Bias: new Float32Array(channels),
  },
});

describe('seReference', () => {
  it('with zero weights scales x by gain * gate(0)', () => {
    const x = Float32Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => i - 7);
    const sigmoid = seReference(
      zeroBlock(3, { type: 'sigmoid' }).spec,
      zeroBlock(3, { type: 'sigmoid' }).weights,
      x,
      [2, 3, 2, 2],
    );
    expect(Array.from(sigmoid)).toEqual(Array.from(x, (v) => v * 0.5));
    const hard = zeroBlock(3, { type: 'hardsigmoid', alpha: 0.2, beta: 0.25 }, 2);
    expect(Array.from(seReference(hard.spec, hard.weights, x, [2, 3, 2, 2]))).toEqual(
      Array.from(x, (v) => v * 0.5),
    );
  });

  it('squeezes by mean, max or their average', () => {
    const x = Float32Array.from([1, 2, 3, 10]); // one channel, 2×2
    const block = zeroBlock(1, { type: 'sigmoid' });
    const squeeze = (mode: 'avg' | 'max' | 'avgmax') =>
      seReferenceDetailed({ ...block.spec, squeeze: mode }, block.weights, x, [1, 1, 2, 2])
        .squeeze[0];
    expect([squeeze('avg'), squeeze('max'), squeeze('avgmax')]).toEqual([4, 10, 7]);
  });

  it('gives the same numbers in NCHW and NHWC', () => {
    fc.assert(
      fc.property(
        blockArbitrary(),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        (block, n, h, w) => {
          const c = block.spec.channels;
          const x = Float32Array.from(
            { length: n * c * h * w },
            (_, i) => Math.sin(i * 12.9898) * 3,
          );
          const nchw = seReference(block.spec, block.weights, x, [n, c, h, w]);
          const xNhwc = transposeLayout(x, [n, c, h, w], 'NCHW');
          const nhwc = seReference(block.spec, block.weights, xNhwc, [n, h, w, c], 'NHWC');
          expect(Array.from(transposeLayout(nhwc, [n, h, w, c], 'NHWC'))).toEqual(Array.from(nchw));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects inputs that do not fit the spec before computing', () => {
    const { spec, weights } = zeroBlock(3, { type: 'sigmoid' });
    expect(() => seReference(spec, weights, new Float32Array(12), [1, 2, 2, 3])).toThrow(
      /looks like NHWC/,
    );
    expect(() => seReference(spec, weights, new Float32Array(12), [3, 4])).toThrow(SEShapeError);
    expect(() => seReference(spec, weights, new Float32Array(11), [1, 3, 2, 2])).toThrow(
      /x: expected 12 values/,
    );
    expect(() =>
      seReference(spec, { ...weights, fc2Bias: undefined }, new Float32Array(12), [1, 3, 2, 2]),
    ).toThrow(/weights.fc2Bias/);
  });
});

describe('activations follow PyTorch definitions', () => {
  it('erf and erfc match known values to ~1e-15 and keep tiny tails', () => {
    // Reference values: CPython math.erf / math.erfc.
    const known: [number, number, number][] = [
      [0.5, 0.5204998778130465, 0.4795001221869535],
      [1, 0.8427007929497149, 0.15729920705028513],
      [2.4, 0.999311486103355, 0.0006885138966450789],
      [4, 0.9999999845827421, 1.541725790028002e-8],
      [6, 1, 2.1519736712498916e-17],
    ];
    for (const [x, e, c] of known) {
      expect(Math.abs(erf(x) - e)).toBeLessThan(4e-16);
      expect(Math.abs(erf(-x) + e)).toBeLessThan(4e-16);
      expect(Math.abs(erfc(x) - c) / c).toBeLessThan(1e-13);
    }
  });
  it('gelu, hardswish, relu6, silu at reference points', () => {
    const { gelu, hardswish, relu6, silu } = ACTIVATION_FUNCTIONS;
    expect(gelu(1)).toBeCloseTo(0.8413447460685429, 15); // 0.5 * (1 + erf(1/sqrt2))
    expect(gelu(-10)).toBeLessThan(0); // tiny negative, not 0 from cancellation
    expect(gelu(-10)).toBeGreaterThan(-1e-20);
    expect([hardswish(-3), hardswish(3), hardswish(1)]).toEqual([-0, 3, 4 / 6]);
    expect([relu6(-1), relu6(7), relu6(2.5)]).toEqual([0, 6, 2.5]);
    expect(silu(0)).toBe(0);
  });
});
