// Times every op form of one SE block on onnxruntime-node CPU and onnxruntime-web wasm
// (in Node), so the fastest form per execution provider can be chosen.
// Run after a build: `pnpm --filter @seblock/se-onnxruntime bench` (the SE-REFERENCE.md
// workload: x = 8×256×56×56 float32, r = 16). Not part of the tests: timings vary by machine.
import { defineSESpec } from '@seblock/se-core';
import { createSESession } from '../dist/index.js';

const [N, C, H, W] = (process.env.SE_BENCH_SHAPE ?? '8,256,56,56').split(',').map(Number);
const RD = C / 16;
const REPEAT = Number(process.env.SE_BENCH_REPEAT ?? 20);

function random(length, seed) {
  let s = seed;
  return Float32Array.from({ length }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

const block = {
  spec: defineSESpec({
    version: 1,
    channels: C,
    reducedChannels: RD,
    squeeze: 'avg',
    activation: 'relu',
    gate: { type: 'sigmoid' },
    bias: true,
  }),
  weights: {
    fc1Weight: random(RD * C, 1),
    fc1Bias: random(RD, 2),
    fc2Weight: random(C * RD, 3),
    fc2Bias: random(C, 4),
  },
};
const x = random(N * C * H * W, 5);
const xNhwc = x; // same numbers, read as NHWC: timing only

const forms = [
  { fullyConnected: 'conv', squeezeOp: 'global-pool' },
  { fullyConnected: 'conv', squeezeOp: 'reduce' },
  { fullyConnected: 'gemm', squeezeOp: 'global-pool' },
  { fullyConnected: 'gemm', squeezeOp: 'reduce' },
  { fullyConnected: 'matmul', squeezeOp: 'global-pool' },
  { fullyConnected: 'matmul', squeezeOp: 'reduce' },
  { layout: 'NHWC', fullyConnected: 'matmul', squeezeOp: 'reduce' },
  { layout: 'NHWC', fullyConnected: 'gemm', squeezeOp: 'reduce' },
  { asFunction: true },
];

console.log(
  `x = ${N}x${C}x${H}x${W} float32 (${((x.length * 4) / 1e6).toFixed(1)} MB), reducedChannels ${RD}, median of ${REPEAT} runs`,
);
for (const [runtime, executionProviders] of [
  ['node', ['cpu']],
  ['web', ['wasm']],
]) {
  for (const form of forms) {
    const session = await createSESession(block, { runtime, executionProviders, ...form });
    const shape = form.layout === 'NHWC' ? [N, H, W, C] : [N, C, H, W];
    const input = form.layout === 'NHWC' ? xNhwc : x;
    await session.run(input, shape); // warm-up
    const times = [];
    for (let i = 0; i < REPEAT; i++) {
      const start = performance.now();
      await session.run(input, shape);
      times.push(performance.now() - start);
    }
    await session.dispose();
    times.sort((a, b) => a - b);
    const label = `${form.layout ?? 'NCHW'} ${form.fullyConnected ?? 'conv'} ${form.squeezeOp ?? 'global-pool'}${form.asFunction ? ' function' : ''}`;
    console.log(
      `${runtime} ${executionProviders[0]}\t${label.padEnd(32)}\t${times[Math.floor(REPEAT / 2)].toFixed(2)} ms`,
    );
  }
}
