import type { GoldenCase } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CaseResult, caseLines, runCase, summarise } from '../support/conformance.js';
import { loadCases } from '../support/golden.js';
import { BROWSER_BACKENDS, precisionInfo, tryBackend } from './backends.js';
import { browserGoldenReader } from './golden-browser.js';

let cases: GoldenCase[];
beforeAll(async () => {
  cases = await loadCases(browserGoldenReader);
  console.log(`[se-tfjs conformance] ${cases.length} golden cases from packages/se-core/golden`);
});

describe.each(BROWSER_BACKENDS)('golden cases on %s (Chromium)', (backend) => {
  it('every case within tolerance of the float64 oracle, in NCHW and NHWC', async (context) => {
    const unavailable = await tryBackend(backend);
    if (unavailable) {
      console.log(`[se-tfjs conformance] ${backend}: SKIPPED, ${unavailable}`);
      context.skip(unavailable);
    }
    if (backend === 'webgl') {
      expect(tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'), 'webgl must render float32').toBe(
        true,
      );
    }
    const before = tf.memory().numTensors;
    const results: CaseResult[] = [];
    for (const testCase of cases) results.push(...(await runCase(testCase)));
    console.log(summarise(backend, results, ` (${precisionInfo()})`));
    // Vite exposes VITE_* environment variables to the browser: VITE_SE_TFJS_VERBOSE=1 lists every case.
    if ((import.meta as { env?: Record<string, string> }).env?.VITE_SE_TFJS_VERBOSE) {
      console.log(caseLines(backend, results));
    }
    for (const r of results) {
      expect(
        r.ulps,
        `${r.name} ${r.layout}: strict ${r.strictUlps}, naive float32 ${r.naiveUlps}`,
      ).toBeLessThanOrEqual(r.tolerance);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
