// Every op and field of the network IR, against a float64 interpreter of PyTorch's definitions,
// across the builder's options; and what the built graph looks like.
import { PRECISION_TOLERANCES, transposeLayout } from '@seblock/se-core';
import { afterAll, describe, expect, it } from 'vitest';
import { stateDictSchema } from '../../../se-core/src/networks/index.js';
import { createModelSession, type SessionOptions } from '../../src/index.js';
import {
  type BuildNetworkModelOptions,
  buildNetworkModel,
  NETWORK_METADATA_KEY,
} from '../../src/networks/index.js';
import { decodeModel } from '../../src/proto/decode.js';
import { toNumber, type ValueInfoProto } from '../../src/proto/onnx.js';
import { tensorDims } from '../../src/proto/tensors.js';
import {
  checkerCannotJudge,
  onnxCheckerUnavailableReason,
  runOnnxChecker,
} from '../support/checker.js';
import { EVERY_OP_SHAPE, everyOpCase } from '../support/every-op-network.js';
import { referenceLogits } from '../support/network-reference.js';
import { ulpsOfMaxLogit } from '../support/networks.js';

const { network, weights, floats, x } = everyOpCase();
const expected = referenceLogits(network, floats, x, EVERY_OP_SHAPE);
// se-core's rule for SE blocks, applied to the network: 4 ULPs plus twice what a naive float32
// evaluation (every node's output rounded) loses against float64.
const naive = ulpsOfMaxLogit(referenceLogits(network, floats, x, EVERY_OP_SHAPE, true), expected);
const { baseUlps, naiveFactor } = PRECISION_TOLERANCES.float32;
const TOLERANCE = baseUlps + naiveFactor * naive;
const built = new Map<string, Uint8Array>();
const report: string[] = [];
afterAll(() => {
  for (const line of report) console.log(line);
});

const VARIANTS: readonly [string, BuildNetworkModelOptions, SessionOptions][] = [
  ['default (opset 17)', {}, { runtime: 'node' }],
  ['optimisation disabled', {}, { runtime: 'node', graphOptimizationLevel: 'disabled' }],
  ['opset 14', { opset: 14 }, { runtime: 'node' }],
  ['opset 20 (Gelu op)', { opset: 20 }, { runtime: 'node' }],
  ['opset 22', { opset: 22 }, { runtime: 'node' }],
  ['SE as Gemm + ReduceMean', { fullyConnected: 'gemm', squeezeOp: 'reduce' }, { runtime: 'node' }],
  ['SE as MatMul, opset 18', { fullyConnected: 'matmul', opset: 18 }, { runtime: 'node' }],
  ['NHWC input', { inputLayout: 'NHWC' }, { runtime: 'node' }],
  ['fixed dims', { batch: 2, height: 23, width: 19 }, { runtime: 'node' }],
  ['polynomial erf', { erf: 'polynomial' }, { runtime: 'node' }],
  ['onnxruntime-web wasm', {}, { runtime: 'web', executionProviders: ['wasm'] }],
];

describe('every IR op against the float64 reference', () => {
  it.each(VARIANTS)('%s', async (name, buildOptions, sessionOptions) => {
    const model = buildNetworkModel(network, weights, buildOptions);
    built.set(name, model);
    const nhwc = buildOptions.inputLayout === 'NHWC';
    const image = nhwc ? transposeLayout(x, [...EVERY_OP_SHAPE], 'NCHW') : x;
    const [n, c, h, w] = EVERY_OP_SHAPE;
    const session = await createModelSession(model, sessionOptions);
    const y = await session.runArray(image, nhwc ? [n, h, w, c] : [n, c, h, w]);
    await session.release();
    const error = ulpsOfMaxLogit(y, expected);
    report.push(
      `[network] every-op network, ${name}: ${error.toFixed(2)} ULPs of max |logit| (allowed ${TOLERANCE.toFixed(2)}, naive float32 ${naive.toFixed(2)})`,
    );
    // The polynomial erf is itself 1.5e-7 from erf: allowed on top (README, webgl).
    expect(error).toBeLessThanOrEqual(TOLERANCE + (name === 'polynomial erf' ? 4 : 0));
  });

  it('passes onnx.checker at every opset onnx 1.12 knows', () => {
    const reason = onnxCheckerUnavailableReason();
    if (reason) {
      console.warn(`skipping onnx.checker: ${reason}`);
      return;
    }
    const judged = new Map([...built].filter(([, bytes]) => !checkerCannotJudge(bytes)));
    expect(judged.size).toBeGreaterThanOrEqual(8);
    expect(runOnnxChecker(judged).filter((r) => r.error)).toEqual([]);
  });
});

describe('the graph', () => {
  // What is written: the decoded bytes (float attributes are float32 there).
  const proto = decodeModel(buildNetworkModel(network, weights));
  const nodes = proto.graph?.node ?? [];

  it('names every ONNX node by its IR node (the PyTorch module path)', () => {
    const ids = network.nodes.map((n) => n.id);
    for (const node of nodes) {
      const owner = ids.find((id) => node.name === id || node.name?.startsWith(`${id}/`));
      expect(owner, `node ${node.name}`).toBeDefined();
    }
    const byName = new Map(nodes.map((n) => [n.name, n.opType]));
    expect(byName.get('stem')).toBe('Conv');
    expect(byName.get('stem_bn')).toBe('BatchNormalization');
    expect(byName.get('pool')).toBe('MaxPool');
    expect(byName.get('fc2')).toBe('Gemm');
    expect(byName.get('add')).toBe('Add');
    // Dropout and stochastic depth are the identity: no node.
    expect(
      nodes.some((n) => n.name?.startsWith('dropout') || n.name?.startsWith('drop_path')),
    ).toBe(false);
  });

  it('holds every state_dict tensor under its PyTorch name and shape, BatchNorm unfolded', () => {
    const initializers = new Map(
      (proto.graph?.initializer ?? []).map((t) => [t.name, tensorDims(t)]),
    );
    for (const entry of stateDictSchema(network)) {
      if (entry.role === 'bnNumBatchesTracked') expect(initializers.has(entry.name)).toBe(false);
      else expect(initializers.get(entry.name), entry.name).toEqual(entry.shape);
    }
  });

  it('writes every attribute explicitly, padding as PyTorch gives it', () => {
    const attrs = (name: string) =>
      Object.fromEntries(
        (nodes.find((n) => n.name === name)?.attribute ?? []).map((a) => [
          a.name,
          a.ints?.length ? a.ints.map((v) => toNumber(v)) : a.f || toNumber(a.i),
        ]),
      );
    expect(attrs('stem')).toEqual({
      kernel_shape: [3, 2],
      strides: [2, 1],
      pads: [1, 0, 1, 1],
      dilations: [1, 2],
      group: 1,
    });
    expect(attrs('dw').group).toBe(12);
    expect(attrs('pool')).toEqual({
      kernel_shape: [3, 3],
      strides: [2, 2],
      pads: [1, 1, 0, 1],
      ceil_mode: 0,
    });
    expect(attrs('stem_bn').epsilon).toBeCloseTo(1e-3, 9);
    // Hard-sigmoid always carries its alpha and beta (ONNX's default slope is 0.2, PyTorch's 1/6).
    expect(nodes.filter((n) => n.opType === 'HardSigmoid').map((n) => n.name)).toEqual(['dw_act']);
    expect(attrs('dw_act')).toEqual({ alpha: Math.fround(1 / 6), beta: 0.5 });
    expect(nodes.find((n) => n.name === 'hardswish')?.opType).toBe('HardSwish');
  });

  it('declares a dynamic NCHW image input, N×classes logits and the network in its metadata', () => {
    const model = decodeModel(buildNetworkModel(network, weights));
    const dims = (v: ValueInfoProto | undefined) =>
      v?.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || toNumber(d.dimValue));
    expect(dims(model.graph?.input?.[0])).toEqual(['N', 3, 'H', 'W']);
    expect(model.graph?.input?.[0]?.name).toBe('x');
    expect(dims(model.graph?.output?.[0])).toEqual(['N', 5]);
    expect(model.graph?.output?.[0]?.name).toBe('logits');
    expect(toNumber(model.opsetImport[0]?.version)).toBe(17);
    const meta = model.metadataProps.find((p) => p.key === NETWORK_METADATA_KEY);
    expect(JSON.parse(meta?.value ?? '{}')).toMatchObject({ numClasses: 5, naming: 'timm' });
    const nhwc = decodeModel(
      buildNetworkModel(network, weights, { inputLayout: 'NHWC', batch: 1 }),
    );
    expect(dims(nhwc.graph?.input?.[0])).toEqual([1, 'H', 'W', 3]);
    expect(nhwc.graph?.node?.[0]?.opType).toBe('Transpose');
  });
});
