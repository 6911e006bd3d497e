import type { GoldenCase } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CaseResult, caseLines, runCase, summarise } from './support/conformance.js';
import { loadCases } from './support/golden.js';
import { nodeGoldenReader } from './support/golden-node.js';
import { NODE_BACKENDS, useBackend } from './support/node-backends.js';

let cases: GoldenCase[];
beforeAll(async () => {
  cases = await loadCases(nodeGoldenReader);
  console.log(`[se-tfjs conformance] ${cases.length} golden cases from packages/se-core/golden`);
});

describe.each(NODE_BACKENDS)('golden cases on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('every case within tolerance of the float64 oracle, in NCHW and NHWC', async () => {
    const before = tf.memory().numTensors;
    const results: CaseResult[] = [];
    for (const testCase of cases) results.push(...(await runCase(testCase)));
    console.log(summarise(backend, results, ''));
    if (process.env.SE_TFJS_VERBOSE) console.log(caseLines(backend, results));
    for (const r of results) {
      expect(
        r.ulps,
        `${r.name} ${r.layout}: strict ${r.strictUlps}, naive float32 ${r.naiveUlps}`,
      ).toBeLessThanOrEqual(r.tolerance);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
