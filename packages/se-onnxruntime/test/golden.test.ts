import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { GoldenCase } from '@seblock/se-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { BuildSEModelOptions, SessionOptions } from '../src/index.js';
import { accuracyCases } from './support/accuracy-cases.js';
import { expectGoldenCases, loadGoldenCases } from './support/golden.js';

// se-core ships its golden cases in the package (exports "./golden/*").
const goldenDir = join(
  dirname(createRequire(import.meta.url).resolve('@seblock/se-core/package.json')),
  'golden',
);
let cases: GoldenCase[] = [];
// Blocks whose squeeze float32 kernels get wrong, with PyTorch's float32 error (the session's
// own forms must meet them; a backend that picks its squeeze explicitly is judged on golden only).
const accuracy = accuracyCases(
  readFileSync(new URL('./fixtures/accuracy-cases.json', import.meta.url), 'utf8'),
);
const summaries: string[] = [];

beforeAll(async () => {
  cases = await loadGoldenCases((file) => readFile(join(goldenDir, file)));
});
afterAll(() => {
  for (const line of summaries) console.log(line);
});

const BACKENDS: [string, SessionOptions & BuildSEModelOptions][] = [
  ['onnxruntime-node cpu', { runtime: 'node' }],
  [
    'onnxruntime-node cpu, optimisation disabled',
    { runtime: 'node', graphOptimizationLevel: 'disabled' },
  ],
  [
    'onnxruntime-node cpu, gemm + reduce',
    { runtime: 'node', fullyConnected: 'gemm', squeezeOp: 'reduce' },
  ],
  [
    'onnxruntime-node cpu, matmul, opset 18',
    { runtime: 'node', fullyConnected: 'matmul', opset: 18 },
  ],
  ['onnxruntime-node cpu, NHWC', { runtime: 'node', layout: 'NHWC' }],
  ['onnxruntime-node cpu, function form', { runtime: 'node', asFunction: true }],
  ['onnxruntime-web wasm (Node)', { runtime: 'web', executionProviders: ['wasm'] }],
  [
    'onnxruntime-web wasm (Node), gemm, opset 20',
    { runtime: 'web', executionProviders: ['wasm'], fullyConnected: 'gemm', opset: 20 },
  ],
];

describe.each(BACKENDS)('golden cases on %s', (backend, options) => {
  it('every case within 4 + 2 × PyTorch float32 ULPs', async () => {
    const all = options.squeezeOp === undefined ? [...cases, ...accuracy] : cases;
    summaries.push(await expectGoldenCases(backend, all, options));
  });
});
