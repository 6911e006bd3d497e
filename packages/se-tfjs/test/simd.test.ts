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
      const memory = new WebAssembly.Memory({ initial: 2 });
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
    });
  }
});
