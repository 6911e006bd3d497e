import { describe, expect, it } from 'vitest';
import { seSimdModuleBytes, seSimdOn } from '../src/kernels/simd/module.js';
import { normal, rng } from './support/random.js';

// The hand-written SIMD module of the wasm kernel, on a memory of its own: each function
// against a plain loop, with sizes that leave every tail (plane % 4, C % 2, C % 4) non-empty.

describe('SIMD module', () => {
  it('is valid WebAssembly, for plain and shared memories', () => {
    expect(WebAssembly.validate(seSimdModuleBytes(false))).toBe(true);
    expect(WebAssembly.validate(seSimdModuleBytes(true))).toBe(true);
  });

  for (const [batch, channels, plane] of [
    [2, 3, 7],
    [1, 5, 4],
    [3, 8, 1],
    [2, 7, 13],
  ] as const) {
    it(`sums and scales NCHW and NHWC exactly as plain loops do (N ${batch}, C ${channels}, H·W ${plane})`, () => {
      const memory = new WebAssembly.Memory({ initial: 4 });
      const simd = seSimdOn(memory);
      expect(simd).not.toBeNull();
      if (!simd) return;
      const count = batch * channels * plane;
      const planes = batch * channels;
      const [xAt, yAt, eAt, sAt] = [64, 64 + 4 * count, 64 + 8 * count, 128 + 12 * count];
      const x = new Float32Array(memory.buffer, xAt, count);
      x.set(normal(rng(count), count));
      const e = new Float32Array(memory.buffer, eAt, planes);
      e.set(normal(rng(count + 1), planes));
      const sums = new Float64Array(memory.buffer, sAt, planes);
      const y = new Float32Array(memory.buffer, yAt, count);

      simd.sum_nchw(xAt, planes, plane, sAt);
      for (let q = 0; q < planes; q++) {
        let sum = 0;
        for (let p = 0; p < plane; p++) sum += x[q * plane + p] as number;
        expect(sums[q]).toBeCloseTo(sum, 12);
      }
      simd.scale_nchw(xAt, eAt, yAt, planes, plane);
      for (let i = 0; i < count; i++)
        expect(y[i]).toBe(Math.fround((x[i] as number) * (e[Math.floor(i / plane)] as number)));

      // The same values read as NHWC: element (n, p, c) at (n·plane + p)·C + c.
      sums.fill(0);
      simd.sum_nhwc(xAt, batch, plane, channels, sAt);
      for (let n = 0; n < batch; n++)
        for (let c = 0; c < channels; c++) {
          let sum = 0;
          for (let p = 0; p < plane; p++) sum += x[(n * plane + p) * channels + c] as number;
          expect(sums[n * channels + c]).toBeCloseTo(sum, 12);
        }
      simd.scale_nhwc(xAt, eAt, yAt, batch, plane, channels);
      for (let i = 0; i < count; i++) {
        const n = Math.floor(i / (plane * channels));
        const c = i % channels;
        expect(y[i]).toBe(Math.fround((x[i] as number) * (e[n * channels + c] as number)));
      }

      // The residual: y = [max(](x · e) + s[, 0)] in float32, a NaN, a −0 and an exact cancellation included.
      const shortcutAt = 128 + 20 * count;
      const s = new Float32Array(memory.buffer, shortcutAt, count);
      s.set(normal(rng(count + 2), count));
      s[0] = Number.NaN;
      s[count - 1] = -Math.fround((x[count - 1] as number) * (e[planes - 1] as number));
      // −0 · e + (−0) is −0: ReLU must give +0, as TF.js' does.
      x[1] = -0;
      s[1] = -0;
      for (const q of [0, 1]) e[q] = Math.abs(e[q] as number); // so x · e is −0 there
      const expectResidual = (relu: boolean, factor: (i: number) => number) => {
        for (let i = 0; i < count; i++) {
          const u = Math.fround(Math.fround((x[i] as number) * factor(i)) + (s[i] as number));
          expect(y[i], `${relu} [${i}]`).toBe(relu ? Math.max(u, 0) : u);
        }
      };
      const nchw = (i: number) => e[Math.floor(i / plane)] as number;
      const nhwc = (i: number) =>
        e[Math.floor(i / (plane * channels)) * channels + (i % channels)] as number;
      simd.scale_add_nchw(xAt, eAt, shortcutAt, yAt, planes, plane);
      expectResidual(false, nchw);
      simd.scale_add_relu_nchw(xAt, eAt, shortcutAt, yAt, planes, plane);
      expectResidual(true, nchw);
      simd.scale_add_nhwc(xAt, eAt, shortcutAt, yAt, batch, plane, channels);
      expectResidual(false, nhwc);
      simd.scale_add_relu_nhwc(xAt, eAt, shortcutAt, yAt, batch, plane, channels);
      expectResidual(true, nhwc);
    });
  }
});
