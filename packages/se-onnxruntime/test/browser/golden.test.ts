import type { GoldenCase } from '@seblock/se-core';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { commands } from 'vitest/browser';
import type { BuildSEModelOptions, SessionOptions } from '../../src/index.js';
import { accuracyCases } from '../support/accuracy-cases.js';
import { expectGoldenCases, loadGoldenCases } from '../support/golden.js';
import { webgpuUnavailable } from '../support/webgpu.js';

// Files are read through vitest's server-side readFile (paths relative to packages/se-onnxruntime).
async function readBytes(path: string): Promise<Uint8Array> {
  const binary = atob(await commands.readFile(path, 'base64'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

let cases: GoldenCase[] = [];
// Blocks whose squeeze float32 kernels get wrong (test/fixtures/accuracy-cases.json): judged for
// the session's own forms; a backend that picks its squeeze explicitly is judged on golden only.
let accuracy: GoldenCase[] = [];
const summaries: string[] = [];

beforeAll(async () => {
  cases = await loadGoldenCases((file) => readBytes(`../se-core/golden/${file}`));
  accuracy = accuracyCases(await commands.readFile('test/fixtures/accuracy-cases.json'));
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
  [
    'onnxruntime-web wasm (Chromium), gemm + reduce, opset 18',
    {
      runtime: 'web',
      executionProviders: ['wasm'],
      fullyConnected: 'gemm',
      squeezeOp: 'reduce',
      opset: 18,
    },
  ],
  ['onnxruntime-web webgpu (Chromium)', { runtime: 'web', executionProviders: ['webgpu'] }],
  [
    'onnxruntime-web webgpu (Chromium), matmul',
    { runtime: 'web', executionProviders: ['webgpu'], fullyConnected: 'matmul' },
  ],
  // NHWC on webgpu: ReduceMean over axes [1, 2] as an input (its shared kernel transposes).
  [
    'onnxruntime-web webgpu (Chromium), NHWC',
    { runtime: 'web', executionProviders: ['webgpu'], layout: 'NHWC' },
  ],
  // createSESession writes MatMul layers and the polynomial erf for webgl (its packed 1x1 Conv
  // does not compile; it has no Erf operator): every case, exact GELU included, must run.
  ['onnxruntime-web webgl (Chromium)', { runtime: 'web', executionProviders: ['webgl'] }],
];

describe.each(BACKENDS)('golden cases on %s', (backend, options) => {
  it('every case within 4 + 2 × PyTorch float32 ULPs', async (context) => {
    const provider = String(options.executionProviders?.[0]);
    const reason = await unavailable(provider);
    if (reason) {
      console.warn(`[golden] ${backend}: skipped: ${reason}`);
      context.skip(reason);
    }
    const all = options.squeezeOp === undefined ? [...cases, ...accuracy] : cases;
    summaries.push(await expectGoldenCases(backend, all, options));
  });
});
