import type { GoldenCase } from '@seblock/se-core';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { commands } from 'vitest/browser';
import type { BuildSEModelOptions, SessionOptions } from '../../src/index.js';
import { accuracyCases } from '../support/accuracy-cases.js';
import { expectGoldenCases } from '../support/golden.js';
import { webgpuUnavailable } from '../support/webgpu.js';

// The accuracy cases (test/fixtures/accuracy-cases.json): blocks whose squeeze float32 kernels
// get wrong, judged for the squeeze forms this package picks per execution provider. The
// golden cases run on every backend and variant in @seblock/se-conformance's one suite.
let cases: GoldenCase[] = [];
const summaries: string[] = [];

beforeAll(async () => {
  cases = accuracyCases(await commands.readFile('test/fixtures/accuracy-cases.json'));
  // Single-threaded wasm: multi-threading needs cross-origin isolation (COOP/COEP headers).
  ort.env.wasm.numThreads = 1;
});
afterAll(() => {
  for (const line of summaries) console.log(line);
});

/** Why a backend cannot run in this browser, or undefined. */
async function unavailable(provider: string): Promise<string | undefined> {
  if (provider === 'webgpu') return webgpuUnavailable();
  if (provider === 'webgl' && !document.createElement('canvas').getContext('webgl2'))
    return 'no WebGL2 context';
  return undefined;
}

const BACKENDS: [string, SessionOptions & BuildSEModelOptions][] = [
  ['onnxruntime-web wasm (Chromium)', { runtime: 'web', executionProviders: ['wasm'] }],
  ['onnxruntime-web webgpu (Chromium)', { runtime: 'web', executionProviders: ['webgpu'] }],
  [
    'onnxruntime-web webgpu (Chromium), matmul',
    { runtime: 'web', executionProviders: ['webgpu'], fullyConnected: 'matmul' },
  ],
  [
    'onnxruntime-web webgpu (Chromium), NHWC',
    { runtime: 'web', executionProviders: ['webgpu'], layout: 'NHWC' },
  ],
  ['onnxruntime-web webgl (Chromium)', { runtime: 'web', executionProviders: ['webgl'] }],
];

describe.each(BACKENDS)('accuracy cases on %s', (backend, options) => {
  it("every case within 4 + 2 × PyTorch's float32 ULPs", async (context) => {
    const reason = await unavailable(String(options.executionProviders?.[0]));
    if (reason) {
      console.warn(`[accuracy] ${backend}: skipped: ${reason}`);
      context.skip(reason);
    }
    summaries.push(await expectGoldenCases(backend, cases, options));
  });
});
