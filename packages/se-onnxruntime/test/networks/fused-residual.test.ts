// The fused SE scale + residual + ReLU on onnxruntime-node's CPU EP (src/networks/fused-residual.ts,
// the `fuseScaleResidual` option of loadNetworkSession): PyTorch's logits within the networks'
// tolerance, every SE block that meets a residual Add fused and nothing else touched, the
// rewrite leaving graphs that do not match alone, bad options refused, and a failed offline
// optimisation falling back to the unfused session with a warning. Speed: docs/performance.md.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildNetwork,
  type NetworkDefinition,
  seededFloats,
  seededStateDict,
} from '@seblock/se-core/networks';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { SEModelError } from '../../src/index.js';
import { fuseScaleResidual } from '../../src/networks/fused-residual.js';
import { buildNetworkModel, loadNetworkSession } from '../../src/networks/index.js';
import { intAttribute } from '../../src/proto/attributes.js';
import { decodeModel } from '../../src/proto/decode.js';
import {
  expectNetworkLogits,
  FIXTURE_ARCHITECTURES,
  smallCase,
  ulpsOfMaxLogit,
} from '../support/networks.js';

const report: string[] = [];
afterAll(() => {
  for (const line of report) console.log(line);
});

/** The first image of a fixture batch, with its PyTorch logits (the batch's error bounds). */
function firstImage(architecture: (typeof FIXTURE_ARCHITECTURES)[number]) {
  const c = smallCase(architecture);
  const [, channels, height, width] = c.inputShape;
  const classes = c.y64.length / c.inputShape[0];
  return {
    ...c,
    x: c.x.slice(0, channels * height * width),
    inputShape: [1, channels, height, width] as const,
    y64: c.y64.slice(0, classes),
  };
}

/** SE blocks whose output only a residual Add reads: what the fusion can take. */
function seIntoAdd(network: NetworkDefinition): number {
  return network.nodes.filter((n) => {
    if (n.op !== 'se') return false;
    const readers = network.nodes.filter((m) => m.op !== 'input' && m.inputs.includes(n.id));
    return readers.length === 1 && readers[0]?.op === 'add';
  }).length;
}

const dimsOf = (shape: readonly number[]) => ({
  batch: shape[0] as number,
  height: shape[2] as number,
  width: shape[3] as number,
});

// The reduced-width fixtures have SE widths of 4 and 8, so loadNetworkSession does not pick the
// 'nchwc' form for them by itself (it wants whole 16-channel blocks: the full-size SE-ResNet-50
// in nchwc-form.test.ts is where it does); asked for, the form and the fusion work at any width.
const NCHWC_FORM = {
  scaleForm: 'nchwc',
  squeezeOp: 'global-pool',
  fullyConnected: 'conv',
} as const;

describe.each(FIXTURE_ARCHITECTURES)('%s, reduced width, batch 1, onnxruntime-node cpu', (arch) => {
  it('equals PyTorch, with every SE block that meets a residual fused', async () => {
    const c = firstImage(arch);
    const session = await loadNetworkSession(c.network, c.stateDict, {
      runtime: 'node',
      ...dimsOf(c.inputShape),
      ...NCHWC_FORM,
    });
    const y = await session.runArray(c.x, c.inputShape);
    await session.release();
    // MobileNetV3 and EfficientNet have none: their SE blocks feed a 1×1 projection Conv.
    expect(session.fusedScaleResiduals).toBe(seIntoAdd(c.network));
    report.push(`[fused residual] ${arch}: ${session.fusedScaleResiduals} SE blocks fused`);
    expectNetworkLogits(y, c, `[fused residual] ${arch} small, first image`, report);
  });
});

describe('fuseScaleResidual on onnxruntime’s optimised graph', () => {
  // SE-ResNet-50 at 1/8 width: every SE block a whole number of 16-channel NCHWc blocks, as the
  // full-size network (the fixtures' 1/64 width pads to the block size, and an identity
  // shortcut's padded weight is then no longer all ones, so it stays a Conv of its own).
  const network = buildNetwork('seresnet50', { width: 0.125, numClasses: 10 });
  const weights = seededStateDict(network, 5);
  const dims = { height: 64, width: 48 };
  const blocks = seIntoAdd(network);

  /** onnxruntime-node's optimised graph (level 'all') of `model`. */
  async function optimised(model: Uint8Array) {
    const dir = mkdtempSync(join(tmpdir(), 'fused-residual-'));
    try {
      const path = join(dir, 'optimised.onnx');
      const session = await ort.InferenceSession.create(model, {
        graphOptimizationLevel: 'all',
        optimizedModelFilePath: path,
        logSeverityLevel: 3,
      });
      await session.release();
      return decodeModel(readFileSync(path));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const nchwcModel = (batch: number) =>
    buildNetworkModel(network, weights, { ...dims, batch, ...NCHWC_FORM });

  it('replaces each Upsample + Mul + residual Conv with one depthwise Conv on the gate', async () => {
    const model = await optimised(nchwcModel(1));
    const { fused } = fuseScaleResidual(model);
    expect(blocks).toBe(16);
    expect(fused).toBe(blocks);
    const nodes = model.graph?.node ?? [];
    expect(nodes.filter((n) => n.opType === 'Upsample' || n.opType === 'Mul')).toEqual([]);
    const reshaped = new Set(nodes.filter((n) => n.opType === 'Reshape').map((n) => n.output?.[0]));
    const onGate = nodes.filter((n) => n.opType === 'Conv' && reshaped.has(n.input?.[1] ?? ''));
    expect(onGate).toHaveLength(blocks);
    for (const conv of onGate) {
      expect(conv.domain).toBe('com.microsoft.nchwc');
      expect(conv.input?.[3]).toBeTruthy(); // the shortcut, added in the same pass
    }
    // The identity shortcuts' own Convs are gone (their Add is the fused Conv's sum now): an
    // identity block's shortcut is the block before's output (a fused Conv), so only the
    // projection shortcuts' Convs (downsample, then BN) write a shortcut of their own.
    const written = new Set(onGate.map((n) => n.input?.[3]));
    const shortcutConvs = nodes.filter((n) => written.has(n.output?.[0]) && !onGate.includes(n));
    const byId = new Map(network.nodes.map((n) => [n.id, n]));
    const projections = network.nodes.filter(
      (n) =>
        n.op === 'add' &&
        n.inputs.some((i) => byId.get(i)?.op === 'se') &&
        n.inputs.some((i) => byId.get(i)?.op === 'batchNorm'),
    ).length;
    expect(projections).toBe(4);
    expect(shortcutConvs).toHaveLength(projections);
    for (const conv of shortcutConvs) expect(intAttribute(conv, 'group', 1)).toBe(1);
    // Nothing left that nothing reads (onnxruntime would warn once per unused initializer).
    const read = new Set(nodes.flatMap((n) => n.input ?? []));
    expect((model.graph?.initializer ?? []).filter((t) => !read.has(t.name ?? ''))).toEqual([]);
  });

  it.each([1, 3])(
    'computes what the unfused session computes at batch %i, within a few roundings',
    async (batch) => {
      const open = (fuseScaleResidual: boolean) =>
        loadNetworkSession(network, weights, {
          runtime: 'node',
          batch,
          ...dims,
          fuseScaleResidual,
        });
      const [fused, unfused] = [await open(true), await open(false)];
      expect([fused.fusedScaleResiduals, unfused.fusedScaleResiduals]).toEqual([blocks, 0]);
      // Different images, so each must meet its own gates (a batch runs as one image of N·C
      // channels in the fused Conv).
      const images = seededFloats(batch, 'input', batch * 3 * dims.height * dims.width);
      const shape = [batch, 3, dims.height, dims.width];
      const a = await fused.runArray(images, shape);
      const b = await unfused.runArray(images, shape);
      await Promise.all([fused.release(), unfused.release()]);
      // One fused multiply-add per element instead of a product and a sum, so a rounding apart
      // per block, carried through the convs after it (measured about 7 ULPs of max |logit|).
      // The bound only has to catch a wrong fusion (x and shortcut swapped, or one image's
      // gates on another's map, is off by far more); accuracy against PyTorch is judged on
      // the fixtures above and on the full-size network.
      for (let n = 0; n < batch; n++) {
        const row = (y: Float32Array) => y.subarray(n * 10, (n + 1) * 10);
        const ulps = ulpsOfMaxLogit(row(a), row(b));
        report.push(
          `[fused residual] 1/8-width SE-ResNet-50, batch ${batch}, image ${n}: fused vs unfused ${ulps.toFixed(2)} ULPs of max |logit|`,
        );
        expect(ulps).toBeLessThan(32);
      }
      expect(a.some((v, i) => v !== b[i])).toBe(true); // different graphs, really run
    },
  );

  it('leaves a graph alone whose batch is not fixed', async () => {
    const model = await optimised(nchwcModel(2));
    const input = model.graph?.input?.[0]?.type?.tensorType?.shape?.dim?.[0];
    if (!input) throw new Error('no input dims');
    input.dimValue = null;
    input.dimParam = 'N';
    const before = JSON.stringify(model.graph?.node);
    expect(fuseScaleResidual(model).fused).toBe(0);
    expect(JSON.stringify(model.graph?.node)).toBe(before);
  });

  it('leaves a scaled map that something else also reads alone', async () => {
    const model = await optimised(nchwcModel(1));
    const graph = model.graph as NonNullable<typeof model.graph>;
    const muls = (graph.node ?? []).filter((n) => n.opType === 'Mul');
    // A second reader of the first block's scaled map: that map must then stay written.
    graph.node?.push({
      name: 'extra_reader',
      opType: 'Identity',
      input: [muls[0]?.output?.[0] as string],
      output: ['extra'],
    });
    expect(fuseScaleResidual(model).fused).toBe(muls.length - 1);
    expect((graph.node ?? []).filter((n) => n.opType === 'Mul')).toHaveLength(1);
  });

  it('leaves a scaled map or an expanded gate that is a graph output alone', async () => {
    const model = await optimised(nchwcModel(1));
    const graph = model.graph as NonNullable<typeof model.graph>;
    const muls = (graph.node ?? []).filter((n) => n.opType === 'Mul');
    graph.output?.push(
      { name: muls[0]?.output?.[0] as string },
      { name: muls[1]?.input?.[1] as string },
    );
    expect(fuseScaleResidual(model).fused).toBe(muls.length - 2);
    expect((graph.node ?? []).filter((n) => n.opType === 'Mul')).toHaveLength(2);
  });
});

describe('loadNetworkSession fuseScaleResidual option', () => {
  const c = firstImage('seresnet50');
  const base = { runtime: 'node' as const, ...dimsOf(c.inputShape), ...NCHWC_FORM };

  it('false gives the unfused session, with logits that agree with the fused one', async () => {
    const unfused = await loadNetworkSession(c.network, c.stateDict, {
      ...base,
      fuseScaleResidual: false,
    });
    const fused = await loadNetworkSession(c.network, c.stateDict, base);
    expect(unfused.fusedScaleResiduals).toBe(0);
    expect(fused.fusedScaleResiduals).toBeGreaterThan(0);
    const a = await unfused.runArray(c.x, c.inputShape);
    const b = await fused.runArray(c.x, c.inputShape);
    await Promise.all([unfused.release(), fused.release()]);
    expectNetworkLogits(a, c, '[fused residual] seresnet50 small, unfused', report);
    expectNetworkLogits(b, c, '[fused residual] seresnet50 small, fused', report);
  });

  it.each([
    [{ fuseScaleResidual: 'yes' }, /options\.fuseScaleResidual.*true or false.*yes/s],
    [{ fuseScaleResidual: true, batch: 'N' }, /options\.fuseScaleResidual.*fixed batch/s],
    [
      { fuseScaleResidual: true, scaleForm: 'broadcast' },
      /options\.fuseScaleResidual.*scaleForm 'nchwc'/s,
    ],
    [
      { fuseScaleResidual: true, graphOptimizationLevel: 'basic' },
      /options\.fuseScaleResidual.*graphOptimizationLevel 'all'/s,
    ],
    [
      { fuseScaleResidual: true, runtime: 'web', executionProviders: ['wasm'] },
      /options\.fuseScaleResidual.*runtime 'node'/s,
    ],
  ])('refuses %o, naming what is missing', async (given, message) => {
    const load = loadNetworkSession(c.network, c.stateDict, { ...base, ...given } as never);
    await expect(load).rejects.toThrow(SEModelError);
    await expect(
      loadNetworkSession(c.network, c.stateDict, { ...base, ...given } as never),
    ).rejects.toThrow(message);
  });

  it('falls back to the unfused session, with a warning, when the offline optimisation fails', async () => {
    const warnings: string[] = [];
    // onnxruntime-node, except that it cannot write an optimised graph (a read-only disk, say).
    const failing = {
      ...ort,
      InferenceSession: {
        create(model: Uint8Array, options?: { optimizedModelFilePath?: string }) {
          if (options?.optimizedModelFilePath) throw new Error('EROFS: read-only file system');
          return ort.InferenceSession.create(model, options as ort.InferenceSession.SessionOptions);
        },
      },
    };
    const session = await loadNetworkSession(c.network, c.stateDict, {
      ...base,
      ort: failing as never,
      warn: (m) => warnings.push(m),
    });
    const y = await session.runArray(c.x, c.inputShape);
    await session.release();
    expect(session.fusedScaleResiduals).toBe(0);
    expect(warnings.join('\n')).toMatch(/without the fused SE scale \+ residual.*EROFS/s);
    expectNetworkLogits(y, c, '[fused residual] seresnet50 small, fallback', report);
    // Asked for explicitly, the same failure is an error.
    await expect(
      loadNetworkSession(c.network, c.stateDict, {
        ...base,
        ort: failing as never,
        fuseScaleResidual: true,
      }),
    ).rejects.toThrow(/options\.fuseScaleResidual.*EROFS/s);
  });
});
