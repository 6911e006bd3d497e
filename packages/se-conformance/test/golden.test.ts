// se-core's golden cases on every backend of the catalog, every named variant, in whichever
// vitest project runs this file: the Node project (tfjs cpu, wasm, tfjs-node when installed,
// onnxruntime-node, onnxruntime-web wasm) and the browser one (tfjs webgl, webgpu,
// onnxruntime-web wasm, webgpu, webgl in Chromium). The one golden suite of the repository:
// the adapters' own harnesses were folded into it (their variants are the runners' variants).
import { EXCITATION_KIND_NAMES } from '@seblock/se-core';
import { afterAll, expect, it } from 'vitest';
import { type BackendKey, compareWithExpected, type ErrorMetrics } from '../src/browser-entry.js';
import { describeBackends, goldenCases } from './support/describe-backends.js';

/**
 * Which TF.js rows ship a fused SE kernel in this release: there the `fused` variants must
 * exist (a kernel that failed to register would otherwise only skip them). tfjs-node runs
 * libtensorflow, for which se-tfjs has no kernel: seBlock composes TF.js ops there.
 */
const FUSED_KERNEL = {
  'tfjs-cpu': true,
  'tfjs-wasm': true,
  'tfjs-webgl': true,
  'tfjs-webgpu': true,
  'tfjs-node': false,
  'tfjs-node-gpu': false,
} as const satisfies Record<Extract<BackendKey, `tfjs-${string}`>, boolean>;

const fusedKernelExpected = (key: BackendKey): boolean =>
  (FUSED_KERNEL as Partial<Record<BackendKey, boolean>>)[key] === true;
const summaries: string[] = [];
afterAll(() => {
  for (const line of summaries) console.log(line);
});

it("the golden cases cover every excitation kind of se-core's registry, each with PyTorch's float32 error", async () => {
  const cases = await goldenCases();
  expect(new Set(cases.map((c) => c.block.spec.excitation.kind))).toEqual(
    new Set(EXCITATION_KIND_NAMES),
  );
  expect(cases.filter((c) => c.info.torchFloat32Ulps === undefined).map((c) => c.id)).toEqual([]);
});

describeBackends('golden cases', ({ backend, variants, runner, cases }) => {
  for (const variant of variants) {
    it(`${variant}: every case within 4 ULP + 2 × PyTorch's float32 error`, async (context) => {
      const run = runner(context, variant);
      // SwiftShader renders float32: a backend here must be held to float32's bound.
      expect(run.precision, `${backend.key} computes in float32`).toBe('float32');
      if (fusedKernelExpected(backend.key))
        expect(run.variants, `${backend.key} has its fused SE kernel`).toContain('fused');
      const before = run.liveTensors?.();
      const results: { id: string; metrics: ErrorMetrics }[] = [];
      // Every case is judged before the test fails, so one run lists every case out of bounds.
      const failures: string[] = [];
      for (const testCase of cases()) {
        try {
          const y = await run.run(testCase, variant);
          const metrics = compareWithExpected(y, testCase, run.precision);
          results.push({ id: testCase.id, metrics });
          const m = metrics;
          if (!m.passed)
            failures.push(
              `${testCase.id}: ${m.outOfTolerance}/${m.count} over ${m.toleranceUlps} ULP (PyTorch ${m.torchUlps}); worst ${m.worstUlp} at ${m.worst.index}: got ${m.worst.actual}, expected ${m.worst.expected}`,
            );
        } catch (error) {
          failures.push(`${testCase.id}: threw ${String(error).slice(0, 300)}`);
        }
      }
      if (before !== undefined) expect(run.liveTensors?.(), 'tensors leaked').toBe(before);
      if (results.length > 0) summaries.push(summarise(`${backend.key} ${variant}`, results));
      expect(failures, `${backend.key} ${variant}`).toEqual([]);
    });
  }
});

function summarise(
  label: string,
  results: readonly { id: string; metrics: ErrorMetrics }[],
): string {
  const worst = results.reduce((a, b) => (b.metrics.worstUlp > a.metrics.worstUlp ? b : a));
  const ratio = (r: (typeof results)[number]) => r.metrics.worstUlp / r.metrics.toleranceUlps;
  const closest = results.reduce((a, b) => (ratio(b) > ratio(a) ? b : a));
  const nonFinite = results.reduce((n, r) => n + r.metrics.nonFinite, 0);
  return (
    `[golden] ${label}: ${results.length} cases; worst ${worst.metrics.worstUlp.toFixed(2)} ULP ` +
    `(${worst.id}, bound ${worst.metrics.toleranceUlps.toFixed(2)}); closest to its bound ` +
    `${closest.id} ${closest.metrics.worstUlp.toFixed(2)}/${closest.metrics.toleranceUlps.toFixed(2)}; ` +
    `${nonFinite} NaN/±Infinity elements reproduced`
  );
}
