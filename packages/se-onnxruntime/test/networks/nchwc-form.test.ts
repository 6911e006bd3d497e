// The 'nchwc' scale form of whole networks (src/networks/options.ts, NetworkScaleForm): the same
// logits as PyTorch's float64 ones within the networks' tolerance, on both runtimes; what
// onnxruntime-node's optimiser makes of it (no reorders, no unfused Add or ReLU); the SE
// blocks read back by extractSE; and bad options refused. Speed is measured in
// docs/performance.md, not here.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESpecError } from '@seblock/se-core';
import { afterAll, describe, expect, it } from 'vitest';
import { seededStateDict } from '../../../se-core/src/networks/index.js';
import { extractSE, type SessionOptions } from '../../src/index.js';
import { buildNetworkModel, loadNetworkSession } from '../../src/networks/index.js';
import { decodeModel } from '../../src/proto/decode.js';
import { onnxCheckerUnavailableReason, runOnnxChecker } from '../support/checker.js';
import {
  expectNetworkLogits,
  FIXTURE_ARCHITECTURES,
  fullCase,
  NETWORK_FIXTURES,
  smallCase,
} from '../support/networks.js';

const report: string[] = [];
afterAll(() => {
  for (const line of report) console.log(line);
});

const fixed = (shape: readonly number[]) => ({
  batch: shape[0] as number,
  height: shape[2] as number,
  width: shape[3] as number,
});

// onnxruntime-node picks the form itself once the dims are fixed; wasm has no NCHWc layout
// (the form is slower there) but must compute the same numbers when asked for it.
const RUNTIMES: readonly [string, SessionOptions, object][] = [
  ['onnxruntime-node cpu (its default with fixed dims)', { runtime: 'node' }, {}],
  [
    'onnxruntime-web wasm (Node)',
    { runtime: 'web', executionProviders: ['wasm'] },
    { scaleForm: 'nchwc', squeezeOp: 'global-pool', fullyConnected: 'conv' },
  ],
];

describe.each(FIXTURE_ARCHITECTURES)('%s, reduced width, nchwc form', (architecture) => {
  it.each(RUNTIMES)('equals PyTorch on %s', async (runtime, options, form) => {
    const c = smallCase(architecture);
    const session = await loadNetworkSession(c.network, c.stateDict, {
      ...options,
      ...form,
      ...fixed(c.inputShape),
    });
    const y = await session.runArray(c.x, c.inputShape);
    await session.release();
    expectNetworkLogits(y, c, `[nchwc] ${architecture} small on ${runtime}`, report);
  });
});

/** Op counts of the graph onnxruntime-node runs after optimising `session`'s model. */
async function optimisedOps(load: (path: string) => Promise<{ release(): Promise<void> }>) {
  const dir = mkdtempSync(join(tmpdir(), 'nchwc-form-'));
  try {
    const path = join(dir, 'optimised.onnx');
    await (await load(path)).release();
    const counts = new Map<string, number>();
    for (const n of decodeModel(readFileSync(path)).graph?.node ?? []) {
      const key = `${n.domain ? `${n.domain}:` : ''}${n.opType}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('full-size SE-ResNet-50 (seeded weights) on onnxruntime-node', () => {
  const c = fullCase('seresnet50');
  const weights = seededStateDict(c.network, NETWORK_FIXTURES.seed);
  const options = { runtime: 'node' as const, ...fixed(c.inputShape) };

  it('equals PyTorch, with every SE scale + residual fused (batch 1)', {
    timeout: 120_000,
  }, async () => {
    const session = await loadNetworkSession(c.network, weights, options);
    const y = await session.runArray(c.x, c.inputShape);
    await session.release();
    // Picked by the session itself: the 'nchwc' form, then the fused residual (fused-residual.ts).
    expect(session.fusedScaleResiduals).toBe(16);
    expectNetworkLogits(y, c, '[nchwc] seresnet50 full on onnxruntime-node', report);
  });

  it('runs in NCHWc throughout: no reorder but the head, every residual Add and ReLU fused into a Conv', {
    timeout: 120_000,
  }, async () => {
    const ops = await optimisedOps((path) =>
      loadNetworkSession(c.network, weights, {
        ...options,
        sessionOptions: { optimizedModelFilePath: path, logSeverityLevel: 3 },
      }),
    );
    const broadcast = await optimisedOps((path) =>
      loadNetworkSession(c.network, weights, {
        ...options,
        scaleForm: 'broadcast',
        squeezeOp: 'global-pool',
        fullyConnected: 'conv',
        sessionOptions: { optimizedModelFilePath: path, logSeverityLevel: 3 },
      }),
    );
    report.push(
      `[nchwc] optimised SE-ResNet-50, nchwc form: ${JSON.stringify(Object.fromEntries(ops))}; broadcast form: ${JSON.stringify(Object.fromEntries(broadcast))}`,
    );
    const nchwc = 'com.microsoft.nchwc';
    // The one ReorderOutput left is the head's, before Flatten, as in ResNet-50.
    expect(ops.get(`${nchwc}:ReorderOutput`)).toBe(1);
    expect(ops.get(`${nchwc}:ReorderInput`)).toBeUndefined();
    expect(ops.get(`${nchwc}:Upsample`)).toBe(16);
    for (const op of ['Add', 'Relu', 'Sum']) expect(ops.get(op)).toBeUndefined();
    // What the broadcast form costs, for contrast: reorders around every block.
    expect(broadcast.get(`${nchwc}:ReorderOutput`)).toBeGreaterThan(16);
    expect(broadcast.get('Add')).toBe(16);
  });
});

describe('buildNetworkModel with scaleForm "nchwc"', () => {
  const c = smallCase('seresnet50');
  const dims = fixed(c.inputShape);

  it('writes blocks extractSE reads back as the broadcast form’s, plus one Resize each', () => {
    const broadcast = extractSE(buildNetworkModel(c.network, c.stateDict, dims));
    const expanded = extractSE(
      buildNetworkModel(c.network, c.stateDict, { ...dims, scaleForm: 'nchwc' }),
    );
    expect(expanded.length).toBeGreaterThan(0);
    expect(expanded.map((f) => [f.name, f.block])).toEqual(broadcast.map((f) => [f.name, f.block]));
    for (const [i, f] of expanded.entries()) {
      const extra = f.nodes.filter((n) => !broadcast[i]?.nodes.includes(n));
      expect(extra).toEqual([`${f.name}/scale_expand`]);
    }
  });

  const checkerMissing = onnxCheckerUnavailableReason();
  if (checkerMissing) console.warn(`skipping onnx.checker on the nchwc form: ${checkerMissing}`);
  it.skipIf(checkerMissing !== undefined)('passes check_model(full_check=True)', () => {
    const model = buildNetworkModel(c.network, c.stateDict, { ...dims, scaleForm: 'nchwc' });
    expect(runOnnxChecker(new Map([['nchwc', model]])).filter((r) => r.error)).toEqual([]);
  });

  it.each([
    [{ height: dims.height, width: dims.width }, 'options.batch'],
    [{ batch: 1 }, 'options.height, options.width'],
  ])('refuses %o (dims not fixed), naming them', (given, named) => {
    const build = () => buildNetworkModel(c.network, c.stateDict, { ...given, scaleForm: 'nchwc' });
    expect(build).toThrow(SESpecError);
    expect(build).toThrow(/options\.scaleForm/);
    expect(build).toThrow(named);
  });

  it('refuses an unknown scale form', () => {
    const build = () =>
      buildNetworkModel(c.network, c.stateDict, {
        ...dims,
        scaleForm: 'fused' as unknown as 'nchwc',
      });
    expect(build).toThrow(SESpecError);
    expect(build).toThrow(/options\.scaleForm.*"broadcast" or "nchwc".*fused/s);
  });
});
