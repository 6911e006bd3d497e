// se-core's golden cases on every backend of the catalog, every named variant, in whichever
// vitest project runs this file: the Node project (tfjs cpu, wasm, tfjs-node when installed,
// onnxruntime-node, onnxruntime-web wasm) and the browser one (tfjs webgl, webgpu,
// onnxruntime-web wasm, webgpu, webgl in Chromium). The one golden suite of the repository:
// the adapters' own harnesses were folded into it (their variants are the runners' variants).
import { afterAll, expect, it } from 'vitest';
import { compareWithExpected, type ErrorMetrics } from '../src/browser-entry.js';
import { describeBackends, goldenCases } from './support/describe-backends.js';

const KINDS = ['mlp', 'ese', 'eca', 'cbam'] as const;
const summaries: string[] = [];
afterAll(() => {
  for (const line of summaries) console.log(line);
});

it("the golden cases cover the four excitation kinds, each with PyTorch's float32 error", async () => {
  const cases = await goldenCases();
  expect(new Set(cases.map((c) => c.block.spec.excitation.kind))).toEqual(new Set(KINDS));
  expect(cases.filter((c) => c.info.torchFloat32Ulps === undefined).map((c) => c.id)).toEqual([]);
});

describeBackends('golden cases', ({ backend, variants, runner, cases }) => {
  for (const variant of variants) {
    it(`${variant}: every case within 4 ULP + 2 × PyTorch's float32 error`, async (context) => {
      const run = runner(context, variant);
      // SwiftShader renders float32: a backend here must be held to float32's bound.
      expect(run.precision, `${backend.key} computes in float32`).toBe('float32');
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
