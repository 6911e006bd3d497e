// Issue 16 part 2, the ONNX side: which form of `act(x·e + shortcut)` (an SE block followed by
// the residual Add and ReLU) onnxruntime-node's CPU EP fuses, and what the Add and ReLU cost.
// For each form: the graph onnxruntime runs after its optimiser (level 'all',
// optimizedModelFilePath), and the median time of the SE block alone and with the residual.
//   pnpm -F @seblock/se-onnxruntime build && node packages/se-onnxruntime/scripts/residual-forms.mjs
// Prints its numbers; nothing is asserted (speed targets live in benchmarks).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';

const { onnx } = onnxProto;

import { buildSEModelProto } from '../dist/index.js';

const [N, C, H, W] = (process.env.SHAPE ?? '8,256,56,56').split(',').map(Number);
const RD = C / 16;
const RUNS = Number(process.env.RUNS ?? 20);
// 'all' adds the NCHWc layout transformer to 'extended' (whose fusions include Conv + Add + Relu).
const LEVEL = process.env.LEVEL ?? 'all';

function seeded(length, seed) {
  let s = seed >>> 0;
  return Float32Array.from({ length }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 0.2;
  });
}
const block = {
  spec: {
    version: 1,
    channels: C,
    reducedChannels: RD,
    squeeze: 'avg',
    activation: 'relu',
    gate: { type: 'sigmoid' },
    bias: true,
  },
  weights: {
    fc1Weight: seeded(RD * C, 1),
    fc1Bias: seeded(RD, 2),
    fc2Weight: seeded(C * RD, 3),
    fc2Bias: seeded(C, 4),
  },
};

const info = (name) => ({
  name,
  type: { tensorType: { elemType: 1, shape: { dim: [N, C, H, W].map((d) => ({ dimValue: d })) } } },
});

/** The SE model with `tail` appended: (graph, y of the SE block) → the model's output. */
function model(squeezeOp, tail) {
  const proto = buildSEModelProto(block, {
    squeezeOp,
    fullyConnected: 'gemm',
    outputName: 'se_y',
    batch: N,
    height: H,
    width: W,
  });
  const graph = proto.graph;
  graph.output = [];
  graph.input.push(info('shortcut'));
  graph.output.push(info(tail(graph, 'se_y')));
  return onnx.ModelProto.encode(proto).finish();
}

const TAILS = {
  'SE only (y = x·e)': (_g, y) => y,
  'Mul, Add, Relu': (g, y) => {
    g.node.push({ opType: 'Add', input: [y, 'shortcut'], output: ['sum'], name: 'residual_add' });
    g.node.push({ opType: 'Relu', input: ['sum'], output: ['out'], name: 'residual_relu' });
    return 'out';
  },
  'Mul, Add, Clip(0)': (g, y) => {
    g.node.push({ opType: 'Add', input: [y, 'shortcut'], output: ['sum'], name: 'residual_add' });
    g.node.push({ opType: 'Clip', input: ['sum', 'zero'], output: ['out'], name: 'residual_clip' });
    g.initializer.push({ name: 'zero', dataType: 1, dims: [], floatData: [0] });
    return 'out';
  },
  // A downsampling block's shortcut is a 1×1 Conv: onnxruntime can fold Conv + Add + Relu
  // into one FusedConv whose Z input is the SE output.
  'Mul, Add(·, Conv 1×1 of shortcut), Relu': (g, y) => {
    g.node.push({
      opType: 'Conv',
      input: ['shortcut', 'ds_w'],
      output: ['ds'],
      name: 'downsample',
    });
    g.initializer.push({
      name: 'ds_w',
      dataType: 1,
      dims: [C, C, 1, 1],
      floatData: Array.from(seeded(C * C, 7)),
    });
    g.node.push({ opType: 'Add', input: [y, 'ds'], output: ['sum'], name: 'residual_add' });
    g.node.push({ opType: 'Relu', input: ['sum'], output: ['out'], name: 'residual_relu' });
    return 'out';
  },
  'Mul, Sum(·, shortcut), Relu': (g, y) => {
    g.node.push({ opType: 'Sum', input: [y, 'shortcut'], output: ['sum'], name: 'residual_sum' });
    g.node.push({ opType: 'Relu', input: ['sum'], output: ['out'], name: 'residual_relu' });
    return 'out';
  },
};

const dir = mkdtempSync(join(tmpdir(), 'residual-forms-'));
const x = seeded(N * C * H * W, 5);
const shortcut = seeded(N * C * H * W, 6);
try {
  console.log(
    `onnxruntime-node ${ort.env.versions?.common ?? ''} CPU, level ${LEVEL}, one thread, x ${N}×${C}×${H}×${W}, ${RUNS} runs`,
  );
  for (const squeezeOp of ['reduce-float64', 'global-pool'])
    for (const [name, tail] of Object.entries(TAILS)) {
      const path = join(dir, 'optimized.onnx');
      const session = await ort.InferenceSession.create(model(squeezeOp, tail), {
        graphOptimizationLevel: LEVEL,
        intraOpNumThreads: 1,
        optimizedModelFilePath: path,
        logSeverityLevel: 3,
      });
      const optimized = onnx.ModelProto.decode(readFileSync(path));
      const ops = optimized.graph.node.map((n) =>
        n.domain ? `${n.domain}:${n.opType}` : n.opType,
      );
      const feeds = { x: new ort.Tensor('float32', x, [N, C, H, W]) };
      if (session.inputNames.includes('shortcut'))
        feeds.shortcut = new ort.Tensor('float32', shortcut, [N, C, H, W]);
      const times = [];
      for (let i = 0; i < RUNS + 2; i++) {
        const t0 = performance.now();
        await session.run(feeds);
        if (i >= 2) times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      await session.release();
      console.log(
        `${squeezeOp} | ${name} | median ${times[times.length >> 1].toFixed(2)} ms | after the optimiser (${ops.length} nodes): ${ops.join(', ')}`,
      );
    }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
