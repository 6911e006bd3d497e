import type { GoldenCase } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasFusedSEKernel, registerSEKernels } from '../../src/base.js';
import { type CaseResult, caseLines, runCase, summarise } from '../support/conformance.js';
import { loadCases } from '../support/golden.js';
import { BROWSER_BACKENDS, precisionInfo, tryBackend } from './backends.js';
import { browserGoldenReader } from './golden-browser.js';

let cases: GoldenCase[];
beforeAll(async () => {
  registerSEKernels();
  cases = await loadCases(browserGoldenReader);
  console.log(`[se-tfjs conformance] ${cases.length} golden cases from packages/se-core/golden`);
});

// seBlock's fused kernel where the backend has one, and the composed TF.js ops everywhere.
const PATHS = BROWSER_BACKENDS.flatMap((backend) =>
  (['fused', 'composed'] as const).map((path) => [backend, path] as const),
);

describe.each(PATHS)('golden cases on %s, %s (Chromium)', (backend, path) => {
  it('every case within tolerance of the float64 oracle, in NCHW and NHWC', async (context) => {
    const unavailable = await tryBackend(backend);
    if (unavailable) {
      console.log(`[se-tfjs conformance] ${backend}: SKIPPED, ${unavailable}`);
      context.skip(unavailable);
    }
    // This release ships a fused kernel for every backend here (and wasm, tested in Node).
    if (path === 'fused') expect(hasFusedSEKernel(backend)).toBe(true);
    if (path === 'fused' && !hasFusedSEKernel(backend)) {
      const reason = `no fused SE kernel for ${backend} in this release (seBlock composes TF.js ops there)`;
      console.log(`[se-tfjs conformance] ${backend} fused: SKIPPED, ${reason}`);
      context.skip(reason);
    }
    if (backend === 'webgl') {
      expect(tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'), 'webgl must render float32').toBe(
        true,
      );
    }
    const before = tf.memory().numTensors;
    const results: CaseResult[] = [];
    for (const testCase of cases)
      results.push(...(await runCase(testCase, { fused: path === 'fused' })));
    console.log(summarise(backend, results, ` ${path} (${precisionInfo()})`));
    // Vite exposes VITE_* environment variables to the browser: VITE_SE_TFJS_VERBOSE=1 lists every case.
    if ((import.meta as { env?: Record<string, string> }).env?.VITE_SE_TFJS_VERBOSE) {
      console.log(caseLines(backend, results));
    }
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
