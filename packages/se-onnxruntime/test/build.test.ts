import {
  accuracyOf,
  type Layout,
  type SEBlock,
  SEShapeError,
  SESpecError,
  type SESpecV1Input,
  seReference,
  transposeLayout,
} from '@seblock/se-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type BuildSEModelOptions,
  buildSEModel,
  createModelSession,
  SEModelError,
} from '../src/index.js';
import { decodeModel } from '../src/proto/decode.js';
import { toNumber } from '../src/proto/onnx.js';
import {
  checkerCannotJudge,
  onnxCheckerUnavailableReason,
  runOnnxChecker,
} from './support/checker.js';
import { randomBlock, randomFloats } from './support/random.js';
import { ULP_TOLERANCE } from './support/tolerance.js';

// Every model this file builds, checked by onnx.checker at the end.
const built = new Map<string, Uint8Array>();
// How often graph optimisation 'all' gives bit-identical output to 'disabled'.
const optimisation = { count: 0, identical: 0 };

/** Runs a model on onnxruntime-node CPU with graph optimisation disabled and all; both must agree. */
async function runBoth(bytes: Uint8Array, x: Float32Array, shape: number[]) {
  const outputs: Float32Array[] = [];
  for (const level of ['disabled', 'all'] as const) {
    const session = await createModelSession(bytes, {
      runtime: 'node',
      graphOptimizationLevel: level,
    });
    outputs.push(await session.runArray(x, shape));
    await session.release();
  }
  return outputs as [Float32Array, Float32Array];
}

async function expectMatchesReference(
  name: string,
  block: SEBlock,
  options: BuildSEModelOptions,
  shape = [2, block.spec.channels, 5, 7],
) {
  const bytes = buildSEModel(block, options);
  built.set(name, bytes);
  const layout: Layout = options.layout ?? 'NCHW';
  const x = randomFloats(
    shape.reduce((a, b) => a * b, 1),
    shape.length * 31 + 7,
    2,
  );
  // The reference and the model see the same data in their own layout.
  const nhwcShape = [shape[0], shape[2], shape[3], shape[1]] as [number, number, number, number];
  const xIn =
    layout === 'NCHW' ? x : transposeLayout(x, shape as [number, number, number, number], 'NCHW');
  const expected = seReference(
    block.spec,
    block.weights,
    xIn,
    layout === 'NCHW' ? shape : nhwcShape,
    layout,
  );
  const [disabled, all] = await runBoth(bytes, xIn, layout === 'NCHW' ? shape : nhwcShape);
  const report = accuracyOf(disabled, expected, xIn);
  expect(report.worstUlp, `${name}: ${JSON.stringify(report)}`).toBeLessThanOrEqual(ULP_TOLERANCE);
  // Optimisation (fusions, layout changes) must not change the numbers beyond rounding.
  expect(
    accuracyOf(all, expected, xIn).worstUlp,
    `${name} with optimisation 'all'`,
  ).toBeLessThanOrEqual(ULP_TOLERANCE);
  const between = accuracyOf(all, disabled, xIn).worstUlp;
  expect(between, `${name}: optimisation 'all' vs 'disabled'`).toBeLessThanOrEqual(ULP_TOLERANCE);
  optimisation.count++;
  if (between === 0) optimisation.identical++;
  return { disabled, all, report };
}

const GATES = [
  { type: 'sigmoid' },
  { type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 },
  { type: 'hardsigmoid', alpha: 0.2, beta: 0.5 },
] as const;

describe('buildSEModel: every spec field', () => {
  const specs: (Partial<SESpecV1Input> & { channels: number; reducedChannels: number })[] = [];
  for (const activation of ['relu', 'relu6', 'silu', 'gelu', 'hardswish'] as const) {
    for (const gate of GATES) {
      for (const squeeze of ['avg', 'max', 'avgmax'] as const) {
        specs.push({
          channels: 12,
          reducedChannels: 3,
          activation,
          gate,
          squeeze,
          bias: specs.length % 2 === 0,
          gain: specs.length % 3 === 0 ? 2 : 1,
        });
      }
    }
  }
  it.each(
    specs.map(
      (s, i) =>
        [
          `${s.activation} ${s.gate?.type}${s.gate && 'alpha' in s.gate ? `(${s.gate.alpha.toFixed(3)})` : ''} ${s.squeeze} bias=${s.bias} gain=${s.gain}`,
          s,
          i,
        ] as const,
    ),
  )('%s', async (name, spec, i) => {
    await expectMatchesReference(`spec ${name}`, randomBlock(spec, 100 + i), {});
  });
});

describe('buildSEModel: NHWC with global pooling', () => {
  it('transposes x to NCHW once, for both pools of avgmax, and needs no other Transpose', () => {
    const block = randomBlock({ channels: 8, reducedChannels: 2, squeeze: 'avgmax' }, 5);
    for (const fullyConnected of ['conv', 'gemm', 'matmul'] as const) {
      const nodes = decodeModel(
        buildSEModel(block, { layout: 'NHWC', squeezeOp: 'global-pool', fullyConnected }),
      ).graph?.node;
      const transposes = (nodes ?? []).filter((n) => n.opType === 'Transpose');
      // conv: e goes back to NHWC with a second Transpose, as with ReduceMean.
      expect(
        transposes.map((n) => n.input?.[0]),
        fullyConnected,
      ).toEqual(fullyConnected === 'conv' ? ['x', expect.any(String)] : ['x']);
      const pools = (nodes ?? []).filter((n) => n.opType?.startsWith('Global'));
      expect(pools.map((n) => n.input?.[0])).toEqual([
        transposes[0]?.output?.[0],
        transposes[0]?.output?.[0],
      ]);
    }
  });
});

describe('buildSEModel: shapes', () => {
  it('keeps batch and spatial dims dynamic by default, and fixes them on request', async () => {
    const block = randomBlock({ channels: 8, reducedChannels: 2 }, 3);
    const bytes = buildSEModel(block);
    const session = await createModelSession(bytes, { runtime: 'node' });
    for (const shape of [
      [1, 8, 1, 1],
      [3, 8, 4, 9],
      [2, 8, 17, 3],
    ]) {
      const x = randomFloats(
        shape.reduce((a, b) => a * b, 1),
        11,
      );
      const report = accuracyOf(
        await session.runArray(x, shape),
        seReference(block.spec, block.weights, x, shape),
        x,
      );
      expect(report.worstUlp).toBeLessThanOrEqual(ULP_TOLERANCE);
    }
    await session.release();
    const fixed = buildSEModel(block, { batch: 1, height: 4, width: 4 });
    built.set('fixed dims', fixed);
    const fixedSession = await createModelSession(fixed, { runtime: 'node' });
    await expect(
      fixedSession.runArray(randomFloats(8 * 16 * 2, 1), [2, 8, 4, 4]),
    ).rejects.toThrow();
    await fixedSession.release();
  });

  it('gives the same numbers with float64 weights (rounded to float32 once)', async () => {
    const block = randomBlock({ channels: 8, reducedChannels: 2, activation: 'gelu' }, 4);
    const f64: SEBlock = {
      spec: block.spec,
      weights: Object.fromEntries(
        Object.entries(block.weights).map(([k, w]) => [k, Float64Array.from(w ?? [])]),
      ),
    };
    expect(buildSEModel(f64)).toEqual(buildSEModel(block));
  });
});

describe('onnx.checker', () => {
  const reason = onnxCheckerUnavailableReason();
  if (reason) console.warn(`skipping onnx.checker tests: ${reason}`);
  it.skipIf(reason !== undefined)(
    'passes check_model(full_check=True) on every model built above that onnx 1.12 can judge',
    () => {
      const judged = new Map<string, Uint8Array>();
      const notJudged = new Map<string, string>();
      for (const [name, bytes] of built) {
        const why = checkerCannotJudge(bytes);
        if (why) notJudged.set(name, why);
        else judged.set(name, bytes);
      }
      const results = runOnnxChecker(judged);
      console.log(
        `onnx.checker: ${results.filter((r) => !r.error).length}/${results.length} built models pass; ${notJudged.size} not judged (${[...new Set(notJudged.values())].join('; ')})`,
      );
      expect(results.filter((r) => r.error)).toEqual([]);
      expect(judged.size).toBeGreaterThan(40);
    },
  );
});

afterAll(() => {
  console.log(
    `[build] optimisation 'all' vs 'disabled': bit-identical on ${optimisation.identical} of ${optimisation.count} models, the rest within ${ULP_TOLERANCE} ULPs`,
  );
  built.clear();
});

describe('buildSEModel: options are checked', () => {
  const block = randomBlock({ channels: 4, reducedChannels: 2 }, 8);
  it('rejects unsupported opsets, impossible forms and bad dims with typed errors', () => {
    expect(() => buildSEModel(block, { opset: 13 })).toThrow(SEModelError);
    expect(() => buildSEModel(block, { opset: 23 })).toThrow(
      /unsupported opset 23: this package writes opsets 14 to 22/,
    );
    expect(() => buildSEModel(block, { squeezeOp: 'mean' as 'reduce' })).toThrow(
      /options.squeezeOp: expected "global-pool" \| "reduce" \| "reduce-float64" \| "reduce-rows", received "mean"/,
    );
    expect(() => buildSEModel(block, { fullyConnected: 'dense' as 'gemm' })).toThrow(SESpecError);
    expect(() => buildSEModel(block, { batch: 0 })).toThrow(/options.batch/);
    expect(() => buildSEModel(block, { inputName: 'y' })).toThrow(SESpecError);
    expect(() =>
      buildSEModel({
        spec: block.spec,
        weights: { ...block.weights, fc1Weight: new Float32Array(3) },
      }),
    ).toThrow(SEShapeError);
  });
  it('writes IR 8 up to opset 18, 9 for 19-20, 10 beyond; producer and spec metadata', () => {
    for (const [opset, ir] of [
      [14, 8],
      [17, 8],
      [18, 8],
      [19, 9],
      [20, 9],
      [21, 10],
      [22, 10],
    ] as const) {
      const model = decodeModel(buildSEModel(block, { opset }));
      expect([toNumber(model.irVersion), model.producerName]).toEqual([
        ir,
        '@seblock/se-onnxruntime',
      ]);
      expect(JSON.parse(model.metadataProps[0]?.value ?? '')).toEqual(block.spec);
    }
  });
});
