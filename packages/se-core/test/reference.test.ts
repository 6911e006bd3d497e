import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_FUNCTIONS,
  erf,
  erfc,
  gateFunction,
  parseSESpec,
  type SEBlock,
  SEShapeError,
  type SESpec,
  type SESpecInput,
  seReference,
  seReferenceDetailed,
  transposeLayout,
  weightSlots,
} from '../src/index.js';
import { blockArbitrary, specArbitrary, weightsArbitrary } from './arbitraries.js';

/** Zero weights (and biases) of every slot the spec has. */
function zeroWeights(spec: SESpec): SEBlock['weights'] {
  return Object.fromEntries(
    weightSlots(spec)
      .filter((slot) => slot.present)
      .map((slot) => [slot.key, new Float32Array(slot.shape.reduce((a, b) => a * b, 1))]),
  );
}

const mlpSpec = (channels: number, squeeze: 'avg' | 'max' | 'avgmax' = 'avg') =>
  parseSESpec({
    version: 2,
    channels,
    squeeze,
    excitation: { kind: 'mlp', reducedChannels: 1, activation: 'relu', bias: true },
    gate: { type: 'sigmoid' },
  });

/** Input values that are smooth in the index, so failures are readable. */
const wave = (length: number, scale = 3) =>
  Float32Array.from({ length }, (_, i) => Math.sin(i * 12.9898) * scale);

describe('seReference, every kind', () => {
  it('with zero weights scales x by gain · gate(0) (property)', () => {
    fc.assert(
      fc.property(specArbitrary(), fc.integer({ min: 1, max: 2 }), (spec, n) => {
        const shape = [n, spec.channels, 2, 2];
        const x = wave(n * spec.channels * 4);
        const y = seReference(spec, zeroWeights(spec), x, shape);
        const e = spec.gain * gateFunction(spec.gate)(0);
        expect(Array.from(y)).toEqual(Array.from(x, (v) => v * e));
      }),
      { numRuns: 100 },
    );
  });

  it('scales with gain, exactly for powers of two (property)', () => {
    fc.assert(
      fc.property(blockArbitrary(), fc.constantFrom(0.5, 2, 4), ({ spec, weights }, factor) => {
        const shape = [1, spec.channels, 2, 3];
        const x = wave(spec.channels * 6);
        const base = seReferenceDetailed(spec, weights, x, shape);
        const scaled = seReferenceDetailed(
          { ...spec, gain: spec.gain * factor },
          weights,
          x,
          shape,
        );
        expect(Array.from(scaled.excitation)).toEqual(
          Array.from(base.excitation, (e) => e * factor),
        );
        expect(Array.from(scaled.logits)).toEqual(Array.from(base.logits));
      }),
      { numRuns: 100 },
    );
  });

  it('gives the same numbers in NCHW and NHWC (property)', () => {
    fc.assert(
      fc.property(
        blockArbitrary(),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        (block, n, h, w) => {
          const c = block.spec.channels;
          const x = wave(n * c * h * w);
          const nchw = seReference(block.spec, block.weights, x, [n, c, h, w]);
          const xNhwc = transposeLayout(x, [n, c, h, w], 'NCHW');
          const nhwc = seReference(block.spec, block.weights, xNhwc, [n, h, w, c], 'NHWC');
          expect(Array.from(transposeLayout(nhwc, [n, h, w, c], 'NHWC'))).toEqual(Array.from(nchw));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('squeezes by mean, max, their average, or both (two descriptors)', () => {
    const x = Float32Array.from([1, 2, 3, 10]); // one channel, 2×2
    const spec = mlpSpec(1);
    const detail = (squeeze: 'avg' | 'max' | 'avgmax') =>
      seReferenceDetailed({ ...spec, squeeze }, zeroWeights(spec), x, [1, 1, 2, 2]);
    expect(
      [detail('avg'), detail('max'), detail('avgmax')].map((d) => d.descriptors[0]?.[0]),
    ).toEqual([4, 10, 7]);
    const cbam = parseSESpec({
      ...spec,
      squeeze: 'avg+max',
      excitation: { ...spec.excitation, kind: 'cbam' },
    });
    const both = seReferenceDetailed(cbam, zeroWeights(cbam), x, [1, 1, 2, 2]);
    expect(both.descriptors.map((d) => d[0])).toEqual([4, 10]);
    expect([both.avg[0], both.max[0]]).toEqual([4, 10]);
  });

  it('cbam sums the mlp logits of the avg and the max descriptor (b2 twice) (property)', () => {
    fc.assert(
      fc.property(blockArbitrary(false, 'cbam'), ({ spec, weights }) => {
        const shape = [2, spec.channels, 2, 2];
        const x = wave(2 * spec.channels * 4);
        const asMlp = (squeeze: 'avg' | 'max') =>
          seReferenceDetailed(
            { ...spec, squeeze, excitation: { ...spec.excitation, kind: 'mlp' } } as SESpecInput,
            weights,
            x,
            shape,
          ).logits;
        const [avg, max] = [asMlp('avg'), asMlp('max')];
        const cbam = seReferenceDetailed(spec, weights, x, shape).logits;
        expect(Array.from(cbam)).toEqual(Array.from(avg, (a, i) => a + (max[i] as number)));
      }),
      { numRuns: 60 },
    );
  });

  it('ese with an identity matrix passes the descriptor plus bias to the gate', () => {
    const c = 3;
    const spec = parseSESpec({
      version: 2,
      channels: c,
      excitation: { kind: 'ese', bias: true },
      gate: { type: 'sigmoid' },
    });
    const fcWeight = new Float32Array(c * c);
    for (let i = 0; i < c; i++) fcWeight[i * c + i] = 1;
    const fcBias = Float32Array.from([0.5, -1, 2]);
    const x = Float32Array.from([1, 3, -2, -4, 0.5, 0.5]); // [1, 3, 1, 2]
    const { logits, avg } = seReferenceDetailed(spec, { fcWeight, fcBias }, x, [1, c, 1, 2]);
    expect(Array.from(logits)).toEqual(Array.from(avg, (a, i) => a + (fcBias[i] as number)));
  });

  it('eca with k = 1 is elementwise: logits = w · d (property)', () => {
    fc.assert(
      fc.property(
        specArbitrary('eca').map((spec) =>
          parseSESpec({ ...spec, excitation: { kind: 'eca', kernelSize: 1 } }),
        ),
        fc.double({ min: -3, max: 3, noNaN: true }),
        (spec, w) => {
          const x = wave(2 * spec.channels * 4);
          const detail = seReferenceDetailed(spec, { convWeight: Float64Array.of(w) }, x, [
            2,
            spec.channels,
            2,
            2,
          ]);
          const d = detail.descriptors;
          const expected = (d[0] as Float64Array).map(
            (v, i) => w * v + (d[1] ? w * (d[1][i] as number) : 0),
          );
          expect(Array.from(detail.logits)).toEqual(Array.from(expected));
        },
      ),
      { numRuns: 100 },
    );
  });

  /**
   * An ECA-like kind's logits equal ese's with the C×C matrix of its taps: tap j of row c goes to
   * the column `column(c + j − (k−1)/2)` (undefined: the tap adds nothing), entries adding up.
   */
  function expectEseWithTapMatrix(
    kind: 'eca' | 'ceca',
    column: (i: number, c: number) => number | undefined,
  ): void {
    const block = specArbitrary(kind).chain((spec) =>
      weightsArbitrary(spec, false, { min: -2, max: 2 }).map((weights) => ({ spec, weights })),
    );
    fc.assert(
      fc.property(block, ({ spec, weights }) => {
        const c = spec.channels;
        const w = weights.convWeight as Float32Array;
        const k = w.length;
        const fcWeight = new Float64Array(c * c);
        for (let row = 0; row < c; row++) {
          for (let j = 0; j < k; j++) {
            const col = column(row + j - (k - 1) / 2, c);
            if (col !== undefined)
              fcWeight[row * c + col] = (fcWeight[row * c + col] as number) + (w[j] as number);
          }
        }
        const ese = parseSESpec({ ...spec, excitation: { kind: 'ese', bias: false } });
        const x = wave(2 * c * 6);
        const shape = [2, c, 2, 3];
        const a = seReferenceDetailed(spec, weights, x, shape).logits;
        const b = seReferenceDetailed(ese, { fcWeight }, x, shape).logits;
        // Same products, summed in another order (ese adds the zeros too): equal to rounding.
        const worst = Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))));
        expect(worst).toBeLessThan(1e-12);
      }),
      { numRuns: 100 },
    );
  }

  it('eca is ese with a banded matrix: W[c, c + j − (k−1)/2] = w[j], zero elsewhere (property)', () => {
    expectEseWithTapMatrix('eca', (i, c) => (i >= 0 && i < c ? i : undefined));
  });

  it('ceca is ese with a circulant matrix: W[c, (c + j − (k−1)/2) mod C] += w[j] (property)', () => {
    // A tap may meet the same channel twice when k > C: the entries add.
    expectEseWithTapMatrix('ceca', (i, c) => ((i % c) + c) % c);
  });

  it('ceca on one channel: every tap meets it, logits = (w0 + w1 + w2) · d', () => {
    const spec = parseSESpec({
      version: 2,
      channels: 1,
      excitation: { kind: 'ceca', kernelSize: 3 },
      gate: { type: 'sigmoid' },
    });
    const convWeight = Float64Array.of(0.5, -2, 4);
    const { logits } = seReferenceDetailed(
      spec,
      { convWeight },
      Float32Array.of(1, 3),
      [1, 1, 1, 2],
    );
    expect(Array.from(logits)).toEqual([2.5 * 2]);
  });

  it('rejects inputs that do not fit the spec before computing', () => {
    const spec = mlpSpec(3);
    const weights = zeroWeights(spec);
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
    expect(() =>
      seReference(
        spec,
        { ...weights, fcWeight: new Float32Array(9) },
        new Float32Array(12),
        [1, 3, 2, 2],
      ),
    ).toThrow(/weights.fcWeight: expected no such weight for excitation kind "mlp"/);
  });
});

describe('NaN and overflow follow PyTorch', () => {
  const spec = mlpSpec(2);
  const weights = zeroWeights(spec);

  it('a NaN anywhere in a plane makes its avg and its max NaN, and only its own', () => {
    for (const at of [0, 2, 3]) {
      const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]); // [1, 2, 2, 2]
      x[at] = Number.NaN;
      const { avg, max, y } = seReferenceDetailed(spec, weights, x, [1, 2, 2, 2]);
      expect([avg[0], max[0]]).toEqual([Number.NaN, Number.NaN]);
      expect([avg[1], max[1]]).toEqual([6.5, 8]);
      expect(Number.isNaN(y[at] as number)).toBe(true);
    }
  });

  it('a mean whose float32 sum overflows is ±Infinity (a float64 sum would not)', () => {
    const big = 3e38; // two of them overflow float32 (max 3.4e38)
    const x = Float32Array.from([big, big, 1, 1, -big, -big, -big, 1]);
    const { avg, max } = seReferenceDetailed(spec, weights, x, [1, 2, 2, 2]);
    expect(avg[0]).toBe(Number.POSITIVE_INFINITY);
    expect(avg[1]).toBe(Number.NEGATIVE_INFINITY);
    expect(max[0]).toBe(Math.fround(big));
    // One huge value does not overflow: the mean stays finite.
    const one = seReferenceDetailed(
      spec,
      weights,
      Float32Array.from([big, 1, 1, 1, 0, 0, 0, 0]),
      [1, 2, 2, 2],
    );
    expect(one.avg[0]).toBeCloseTo(Math.fround(big) / 4, -30);
  });

  it('NaN propagates through every activation and gate', () => {
    for (const f of Object.values(ACTIVATION_FUNCTIONS)) expect(f(Number.NaN)).toBeNaN();
    expect(gateFunction({ type: 'sigmoid' })(Number.NaN)).toBeNaN();
    expect(gateFunction({ type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 })(Number.NaN)).toBeNaN();
    expect(erfc(Number.POSITIVE_INFINITY)).toBe(0);
    expect(erfc(Number.NEGATIVE_INFINITY)).toBe(2);
    expect([erf(Number.POSITIVE_INFINITY), erf(Number.NEGATIVE_INFINITY)]).toEqual([1, -1]);
    expect(ACTIVATION_FUNCTIONS.gelu(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
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
