import {
  accuracyOf,
  caseTolerance,
  defineSESpec,
  pytorchHardSigmoid,
  seReference,
} from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  disposeSETensors,
  hasFusedSEKernel,
  SE_KERNEL_NAME,
  SqueezeExcite,
  seBlock,
  toSETensors,
} from '../src/index.js';
import { randomBlock } from './support/blocks.js';
import { runCase, summarise } from './support/conformance.js';
import { NODE_BACKENDS, useBackend } from './support/node-backends.js';
import { normal, rng } from './support/random.js';
import { syntheticCases } from './support/synthetic.js';

// The fused kernels (cpu, wasm) on their own: every spec field, both weight layouts, which path
// actually ran, and no tensor left behind. Golden cases of both paths run in se-conformance's
// one suite (packages/se-conformance/test/golden.test.ts); gradients in gradients.test.ts.

const spec = defineSESpec({
  version: 1,
  channels: 16,
  reducedChannels: 4,
  squeeze: 'avgmax',
  activation: 'hardswish',
  gate: pytorchHardSigmoid,
  bias: true,
  gain: 2,
});

async function kernelsRun(f: () => tf.Tensor): Promise<string[]> {
  const info = await tf.profile(() => f());
  // tf.customGrad shows up as an 'unnamed scope' around the kernel it wraps.
  const names = info.kernels.map((k) => k.name).filter((name) => name !== 'unnamed scope');
  tf.dispose(info.result as tf.Tensor);
  return names;
}

describe.each(NODE_BACKENDS)('fused kernel on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('is registered by the main entry, and seBlock runs it as one kernel unless told not to', async () => {
    expect(hasFusedSEKernel(backend)).toBe(true);
    const block = randomBlock(spec, 1);
    const x = tf.tensor4d(normal(rng(2), 2 * 5 * 5 * 16), [2, 5, 5, 16]);
    const tensors = toSETensors(block);
    const fused = await kernelsRun(() => seBlock(x, tensors));
    const composed = await kernelsRun(() => seBlock(x, tensors, { fused: false }));
    expect(fused).toEqual([SE_KERNEL_NAME]);
    expect(composed).not.toContain(SE_KERNEL_NAME);
    expect(composed.length).toBeGreaterThan(8);
    disposeSETensors(tensors);
    x.dispose();
  });

  it('matches seReference for every squeeze, activation, gate, bias and gain (synthetic data)', async () => {
    const results = [];
    for (const testCase of syntheticCases()) results.push(...(await runCase(testCase)));
    console.log(summarise(backend, results, ' fused (synthetic spec variants)'));
    for (const r of results)
      expect(r.ulps, `${r.name} ${r.layout}`).toBeLessThanOrEqual(r.tolerance);
  });

  it('reads both weight layouts (canonical [out, in] and TF.js [in, out]) to the same numbers', async () => {
    for (const [i, testCase] of syntheticCases().entries()) {
      const { block, shape, x, y } = testCase;
      const canonical = toSETensors(block);
      const kernel = toSETensors(block, { layout: 'kernel' });
      const xT = tf.tensor4d(x, shape as [number, number, number, number]);
      const [a, b] = [canonical, kernel].map((t) => seBlock(xT, t, { layout: 'NCHW' }));
      const [da, db] = await Promise.all([(a as tf.Tensor).data(), (b as tf.Tensor).data()]);
      expect(Array.from(db), `case ${i}`).toEqual(Array.from(da));
      const report = accuracyOf(da, y, x);
      expect(report.worstUlp).toBeLessThanOrEqual(caseTolerance(testCase).ulps);
      tf.dispose([a as tf.Tensor, b as tf.Tensor, xT]);
      disposeSETensors(canonical);
      disposeSETensors(kernel);
    }
  });

  it('runs inside the layer (forward and a training step) and leaves no tensor behind', async () => {
    const layer = new SqueezeExcite({ spec });
    const x = tf.tensor4d(normal(rng(3), 2 * 4 * 4 * 16), [2, 4, 4, 16]);
    tf.dispose(layer.apply(x) as tf.Tensor); // build once
    const names = await kernelsRun(() => layer.apply(x) as tf.Tensor);
    expect(names).toContain(SE_KERNEL_NAME);
    const optimizer = tf.train.sgd(0.1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      tf.dispose([layer.apply(x) as tf.Tensor]);
      optimizer.minimize(() => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar);
    }
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    layer.dispose();
    x.dispose();
  });

  it('propagates a NaN in x as the float64 reference does, fused and composed', async () => {
    // One NaN pixel makes its channel's mean NaN, and the MLP mixes every channel: the
    // reference's y is NaN everywhere. (wasm's Relu6 and ClipByValue turn NaN into 0 unless
    // the composed ops put it back.)
    const small = defineSESpec({
      version: 1,
      channels: 2,
      reducedChannels: 1,
      squeeze: 'avg',
      activation: 'relu6',
      gate: pytorchHardSigmoid,
      bias: true,
    });
    const block = randomBlock(small, 4);
    const values = Float32Array.from([1, Number.NaN, 3, 4, 5, 6, 7, 8]);
    const x = tf.tensor4d(values, [1, 2, 2, 2]);
    const expected = seReference(small, block.weights, values, [1, 2, 2, 2], 'NCHW');
    expect(expected.every(Number.isNaN)).toBe(true);
    for (const fused of [true, false]) {
      const y = seBlock(x, block, { layout: 'NCHW', fused });
      expect(Array.from(await y.data()).every(Number.isNaN), `fused ${fused}`).toBe(true);
      y.dispose();
    }
    x.dispose();
  });
});
