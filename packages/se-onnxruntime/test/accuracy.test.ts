import { readFileSync } from 'node:fs';
import type { GoldenCase } from '@seblock/se-core';
import { afterAll, describe, it } from 'vitest';
import type { BuildSEModelOptions, SessionOptions } from '../src/index.js';
import { accuracyCases } from './support/accuracy-cases.js';
import { expectGoldenCases } from './support/golden.js';

// The accuracy cases (test/fixtures/accuracy-cases.json): blocks whose squeeze float32 kernels
// get wrong (wide H×W reductions), with PyTorch's float32 error. They check the squeeze forms
// this package picks per execution provider (forms.ts SESSION_FORMS), so each run leaves the
// squeeze to the session; the forms that pick one explicitly are judged on the golden cases,
// which run on every backend and variant in @seblock/se-conformance's one suite.
const cases: GoldenCase[] = accuracyCases(
  readFileSync(new URL('./fixtures/accuracy-cases.json', import.meta.url), 'utf8'),
);
const summaries: string[] = [];
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

describe.each(BACKENDS)('accuracy cases on %s', (backend, options) => {
  it("every case within 4 + 2 × PyTorch's float32 ULPs", async () => {
    summaries.push(await expectGoldenCases(backend, cases, options));
  });
});
