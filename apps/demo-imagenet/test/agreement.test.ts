import { float32Ulp } from '@seblock/se-core';
import { describe, expect, it } from 'vitest';
import {
  agreementPairs,
  comparePair,
  pairwiseBoundUlps,
  softmax,
  topK,
  unexplainedTopKDifferences,
} from '../src/index.js';
import { checkAgainstPyTorch, PYTORCH_SAMPLE } from './support/pytorch-sample.js';

const answer = (backend: string, values: number[]) => ({
  backend,
  logits: Float32Array.from(values),
});

describe('ranking', () => {
  it('softmax sums to 1 and survives large logits', () => {
    const p = softmax([1000, 1000, 999]);
    expect(p[0]).toBeCloseTo(p[1] as number, 15);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('topK: best first, ties to the lower index, with probabilities', () => {
    const top = topK(Float32Array.of(0.5, 2, 2, -1, 1), 3);
    expect(top.map((c) => c.index)).toEqual([1, 2, 4]);
    expect(top[0]?.probability).toBeCloseTo(
      Math.exp(2) / (Math.exp(0.5) + 2 * Math.exp(2) + Math.exp(-1) + Math.exp(1)),
      12,
    );
  });
});

describe('comparePair', () => {
  it('measures the largest logit difference in float32 ULPs of the largest |logit|', () => {
    const a = answer('a', [3, 1, 0.5, -4, 2]);
    const b = answer('b', [3, 1, 0.5, -4 - 4 * float32Ulp(4), 2]);
    const pair = comparePair(a, b, 3);
    expect(pair).toMatchObject({ a: 'a', b: 'b', sameTop1: true, overlap: 3, sameOrder: true });
    expect(pair.ulps).toBeCloseTo(4, 6);
    expect(pair.maxAbsLogit).toBe(4 + 4 * float32Ulp(4));
  });

  it('counts the top-k overlap and notices a changed order', () => {
    const pair = comparePair(answer('a', [5, 4, 3, 2, 1]), answer('b', [4, 5, 1, 2, 3]), 3);
    expect(pair.sameTop1).toBe(false);
    expect(pair.overlap).toBe(2);
    expect(pair.sameOrder).toBe(false);
  });

  it('refuses answers of different lengths and lists every pair once', () => {
    expect(() => comparePair(answer('a', [1]), answer('b', [1, 2]), 1)).toThrow(RangeError);
    const pairs = agreementPairs(
      [answer('x', [1, 2]), answer('y', [1, 2]), answer('z', [2, 1])],
      1,
    );
    expect(pairs.map((p) => `${p.a}-${p.b}`)).toEqual(['x-y', 'x-z', 'y-z']);
  });
});

describe('tolerances', () => {
  it("the pairwise bound is twice the network tests' tolerance", () => {
    expect(pairwiseBoundUlps(0)).toBe(8);
    expect(pairwiseBoundUlps(8.5)).toBe(42);
  });

  it('accepts a swap at the top-k boundary within the bound, and names one beyond it', () => {
    const a = answer('a', [9, 8, 7.000001, 7, 1]);
    const b = answer('b', [9, 8, 7, 7.000001, 1]);
    expect(unexplainedTopKDifferences(a, b, 3, 2e-6)).toEqual([]);
    expect(unexplainedTopKDifferences(a, b, 3, 1e-7)).toHaveLength(2);
    // Class 2 fell far out of c's top-3; class 3, which took its place, was a's 4th by 1e-6.
    const far = answer('c', [9, 8, 6, 7, 1]);
    const problems = unexplainedTopKDifferences(a, far, 3, 2e-6);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^class 2 is in a's top-3 but 1\.00e\+0 below c's 3-th logit/);
  });
});

describe("the demos' agreement rule against PyTorch (test/support/pytorch-sample.ts)", () => {
  it("passes PyTorch's own logits rounded to float32, and names a backend off by more than allowed", () => {
    const exact = { backend: 'rounded', logits: Float32Array.from(PYTORCH_SAMPLE.y64) };
    const report = checkAgainstPyTorch([exact, { ...exact, backend: 'copy' }]);
    expect(report.problems).toEqual([]);
    expect(report.vsPyTorch[0]?.ulps).toBeLessThanOrEqual(0.5);
    // 4 + 2 × 9.42 ULPs (PyTorch's float32 error on the sample), and twice that between two.
    expect(report.toleranceUlps).toBeCloseTo(4 + 2 * PYTORCH_SAMPLE.torch_float32_error_ulps, 6);
    expect(report.pairwiseBoundUlps).toBeCloseTo(2 * report.toleranceUlps, 6);
    // The sample's top-5 is decided by far more than the tolerance: agreement is not luck.
    expect(Math.min(...report.marginsUlps)).toBeGreaterThan(10 * report.pairwiseBoundUlps);

    const off = Float32Array.from(PYTORCH_SAMPLE.y64);
    const worst = PYTORCH_SAMPLE.top5[4] as number;
    off[worst] = (off[worst] as number) - 0.05; // 0.034 above the 6th: now out of the top-5
    const bad = checkAgainstPyTorch([exact, { backend: 'off', logits: off }]).problems;
    expect(bad.some((p) => p.startsWith('off: '))).toBe(true);
    expect(bad.some((p) => p.startsWith(`class ${worst} is in`))).toBe(true);
    expect(bad.some((p) => p.startsWith('rounded ↔ off: '))).toBe(true);
  });
});
