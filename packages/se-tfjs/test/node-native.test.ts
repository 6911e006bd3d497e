import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type CaseResult, runCase, summarise } from './support/conformance.js';
import { loadCases } from './support/golden.js';
import { nodeGoldenReader } from './support/golden-node.js';

// tfjs-node and tfjs-node-gpu are optional peers: they download libtensorflow at install time,
// which this project's machines cannot do. When one is installed, it registers the
// 'tensorflow' backend and the golden cases run on it; when not, the test says so and why.
const OPTIONAL_BACKENDS = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'] as const;
const require = createRequire(import.meta.url);

async function load(name: string): Promise<string | undefined> {
  try {
    require.resolve(name);
  } catch {
    return `${name} is not installed (optional peer; it needs libtensorflow, downloaded at install time)`;
  }
  try {
    await import(/* @vite-ignore */ name);
  } catch (error) {
    return `${name} is installed but failed to load: ${String(error).slice(0, 200)}`;
  }
  if (!(await tf.setBackend('tensorflow')))
    return `${name} loaded but the 'tensorflow' backend did not initialise`;
  return undefined;
}

describe.each(OPTIONAL_BACKENDS)('golden cases on %s', (name) => {
  it('every case within tolerance (or skipped, with the reason)', async (context) => {
    const unavailable = await load(name);
    if (unavailable) {
      console.log(`[se-tfjs conformance] ${name}: SKIPPED, ${unavailable}`);
      context.skip(unavailable);
      return;
    }
    const cases = await loadCases(nodeGoldenReader);
    const results: CaseResult[] = [];
    for (const testCase of cases) results.push(...(await runCase(testCase)));
    console.log(summarise(`tensorflow (${name})`, results));
    for (const r of results)
      expect(r.ulps, `${r.name} ${r.layout}`).toBeLessThanOrEqual(r.tolerance);
  });
});
