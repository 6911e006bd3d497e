// Whole networks built from PyTorch state_dicts against PyTorch's own float64 logits (se-core's
// network fixtures): every reduced-width twin on both runtimes, full-size networks with the
// seeded weights PyTorch used. Measured numbers are printed as `[network] …` lines.
import { afterAll, describe, expect, it } from 'vitest';
import { seededStateDict } from '../../../se-core/src/networks/index.js';
import { createModelSession, type SessionOptions } from '../../src/index.js';
import { buildNetworkModel, loadNetworkSession } from '../../src/networks/index.js';
import {
  checkerCannotJudge,
  onnxCheckerUnavailableReason,
  runOnnxChecker,
} from '../support/checker.js';
import {
  expectNetworkLogits,
  FIXTURE_ARCHITECTURES,
  fullCase,
  NETWORK_FIXTURES,
  networkTolerance,
  smallCase,
  ulpsOfMaxLogit,
} from '../support/networks.js';

const RUNTIMES: readonly [string, SessionOptions][] = [
  ['onnxruntime-node cpu', { runtime: 'node' }],
  ['onnxruntime-web wasm (Node)', { runtime: 'web', executionProviders: ['wasm'] }],
];

const report: string[] = [];
afterAll(() => {
  for (const line of report) console.log(line);
});

const ms = (since: number) => `${(performance.now() - since).toFixed(0)} ms`;

describe.each(FIXTURE_ARCHITECTURES)('%s, reduced width (PyTorch state_dict)', (architecture) => {
  it.each(RUNTIMES)('equals PyTorch on %s', async (runtime, options) => {
    const c = smallCase(architecture);
    const session = await loadNetworkSession(c.network, c.stateDict, options);
    const y = await session.runArray(c.x, c.inputShape);
    await session.release();
    expectNetworkLogits(y, c, `[network] ${architecture} small on ${runtime}`, report);
  });
});

const checkerMissing = onnxCheckerUnavailableReason();
if (checkerMissing) console.warn(`skipping onnx.checker on networks: ${checkerMissing}`);

describe('onnx.checker', () => {
  it.skipIf(checkerMissing !== undefined)(
    'passes check_model(full_check=True) on every reduced-width network, at opsets 17 and 14, NCHW and NHWC',
    () => {
      const models = new Map<string, Uint8Array>();
      for (const architecture of FIXTURE_ARCHITECTURES) {
        const c = smallCase(architecture);
        models.set(architecture, buildNetworkModel(c.network, c.stateDict));
        models.set(
          `${architecture} NHWC opset 14`,
          buildNetworkModel(c.network, c.stateDict, { inputLayout: 'NHWC', opset: 14 }),
        );
      }
      for (const bytes of models.values()) expect(checkerCannotJudge(bytes)).toBeUndefined();
      expect(runOnnxChecker(models).filter((r) => r.error)).toEqual([]);
    },
  );
});

// Full size: 1×3×224×224 through the published architectures, weights from se-core's seeded
// scheme (bit-identical to the ones PyTorch ran). SE-ResNet-50 on both runtimes, the others
// on onnxruntime-node (0.5–2 s each here, SE-ResNet-101 3–5 s).
const [NODE, WEB] = RUNTIMES as [(typeof RUNTIMES)[number], (typeof RUNTIMES)[number]];
const FULL = [
  ['seresnet50', ...NODE],
  ['seresnet50', ...WEB],
  ...FIXTURE_ARCHITECTURES.filter((a) => a !== 'seresnet50').map((a) => [a, ...NODE] as const),
] as const;

describe('full size (seeded weights)', () => {
  it.each(FULL)(
    '%s equals PyTorch on %s',
    { timeout: 120_000 },
    async (architecture, runtime, options) => {
      const c = fullCase(architecture);
      const weights = seededStateDict(c.network, NETWORK_FIXTURES.seed);
      let t = performance.now();
      const model = buildNetworkModel(c.network, weights);
      const build = ms(t);
      t = performance.now();
      const session = await createModelSession(model, options);
      const load = ms(t);
      t = performance.now();
      const y = await session.runArray(c.x, c.inputShape);
      const run = ms(t);
      await session.release();
      // One full-size model through onnx.checker too (the reduced ones cover every structure).
      if (architecture === 'seresnet50' && options.runtime === 'node' && !checkerMissing)
        expect(runOnnxChecker(new Map([[architecture, model]])).filter((r) => r.error)).toEqual([]);
      const error = ulpsOfMaxLogit(y, c.y64);
      const tolerance = networkTolerance(c);
      report.push(
        `[network] ${architecture} full on ${runtime}: ${error.toFixed(2)} ULPs of max |logit| (allowed ${tolerance.toFixed(2)}); model ${(model.length / 2 ** 20).toFixed(1)} MiB, build ${build}, session ${load}, first run ${run}`,
      );
      expect(error).toBeLessThanOrEqual(tolerance);
    },
  );
});
