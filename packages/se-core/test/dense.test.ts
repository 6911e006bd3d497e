import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dense, float64Rounding } from '../src/index.js';

// se-core's fully connected layer, the inner loop of the mlp, ese and cbam kinds: the float64
// path may add in any order (four partial sums), every other rounding adds in index order.

/** The definition: index order, every step through `round`. */
function indexOrder(
  w: Float32Array,
  b: Float32Array | undefined,
  v: readonly number[],
  rows: number,
  cols: number,
  round: (x: number) => number,
): number[] {
  return Array.from({ length: rows }, (_, r) => {
    let z = b ? round(b[r] as number) : 0;
    for (let k = 0; k < cols; k++)
      z = round(z + round((w[r * cols + k] as number) * (v[k] as number)));
    return z;
  });
}

const layer = fc
  .record({
    rows: fc.integer({ min: 1, max: 9 }),
    cols: fc.integer({ min: 1, max: 37 }),
    bias: fc.boolean(),
  })
  .chain(({ rows, cols, bias }) =>
    fc.record({
      rows: fc.constant(rows),
      cols: fc.constant(cols),
      w: fc.float32Array({
        minLength: rows * cols,
        maxLength: rows * cols,
        noDefaultInfinity: true,
        noNaN: true,
      }),
      b: bias
        ? fc.float32Array({
            minLength: rows,
            maxLength: rows,
            noDefaultInfinity: true,
            noNaN: true,
          })
        : fc.constant(undefined),
      v: fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
        minLength: cols,
        maxLength: cols,
      }),
    }),
  );

describe('dense', () => {
  it('in float64 equals the index-order float64 sum to within float64 rounding', () => {
    fc.assert(
      fc.property(layer, ({ rows, cols, w, b, v }) => {
        const out = new Float64Array(rows);
        dense(w, b, v, rows, cols, out, float64Rounding);
        const expected = indexOrder(w, b, v, rows, cols, (x) => x);
        // Reordering a float64 sum moves it by at most ~cols ulps of the largest term.
        const scale = (r: number) =>
          Math.max(
            Math.abs(b?.[r] ?? 0),
            ...v.map((x, k) => Math.abs(x * (w[r * cols + k] as number))),
          );
        expected.forEach((z, r) => {
          expect(Math.abs((out[r] as number) - z)).toBeLessThanOrEqual(scale(r) * cols * 2 ** -52);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('with any other rounding follows the index order exactly (the naive float32 model)', () => {
    fc.assert(
      fc.property(layer, ({ rows, cols, w, b, v }) => {
        const out = new Float64Array(rows);
        dense(w, b, v, rows, cols, out, Math.fround);
        expect([...out]).toEqual(indexOrder(w, b, v, rows, cols, Math.fround));
        // An identity that is not float64Rounding also takes the index-order loop.
        dense(w, b, v, rows, cols, out, (x) => x);
        expect([...out]).toEqual(indexOrder(w, b, v, rows, cols, (x) => x));
      }),
      { numRuns: 200 },
    );
  });

  it('propagates NaN and infinities as the index-order sum does', () => {
    const w = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const out = new Float64Array(2);
    dense(w, undefined, [1, Number.NaN, 1, 1, 1], 2, 5, out, float64Rounding);
    expect([...out]).toEqual([Number.NaN, Number.NaN]);
    dense(w, new Float32Array([0, -Infinity]), [1, 1, 1, 1, Infinity], 2, 5, out, float64Rounding);
    expect([...out]).toEqual([Infinity, Number.NaN]);
  });
});
