import type { GoldenCase } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasFusedSEKernel, registerSEKernels } from '../src/base.js';
import { type CaseResult, caseLines, runCase, summarise } from './support/conformance.js';
import { loadCases } from './support/golden.js';
import { nodeGoldenReader } from './support/golden-node.js';
import { NODE_BACKENDS, useBackend } from './support/node-backends.js';

let cases: GoldenCase[];
beforeAll(async () => {
  registerSEKernels();
  cases = await loadCases(nodeGoldenReader);
  console.log(`[se-tfjs conformance] ${cases.length} golden cases from packages/se-core/golden`);
});

// Both paths of seBlock on every backend: the fused kernel and the composed TF.js ops.
const PATHS = NODE_BACKENDS.flatMap((backend) =>
  (['fused', 'composed'] as const).map((path) => [backend, path] as const),
);

describe.each(PATHS)('golden cases on %s, %s', (backend, path) => {
  beforeAll(() => useBackend(backend));

  it('every case within tolerance of the float64 oracle, in NCHW and NHWC', async () => {
    expect(hasFusedSEKernel(), `${backend} has a fused kernel`).toBe(true);
    const before = tf.memory().numTensors;
    const results: CaseResult[] = [];
    for (const testCase of cases)
      results.push(...(await runCase(testCase, { fused: path === 'fused' })));
    console.log(summarise(backend, results, ` ${path}`));
    if (process.env.SE_TFJS_VERBOSE) console.log(caseLines(backend, results));
    for (const r of results) {
      expect(
        r.ulps,
        `${r.name} ${r.layout}: strict ${r.strictUlps}, naive float32 ${r.naiveUlps}`,
      ).toBeLessThanOrEqual(r.tolerance);
      // Our fused kernels also meet issue 16's bound: 4 ULPs + twice PyTorch's own float32 error.
      if (path === 'fused' && r.torchTolerance !== undefined) {
        expect(r.ulps, `${r.name} ${r.layout}: PyTorch float32 ${r.torchUlps}`).toBeLessThanOrEqual(
          r.torchTolerance,
        );
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
