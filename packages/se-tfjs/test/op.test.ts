import {
  accuracyOf,
  defineSESpec,
  keras2HardSigmoid,
  pytorchHardSigmoid,
  seReference,
  seReferenceDetailed,
} from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeSETensors, seBlock, seBlockDetailed, toSETensors } from '../src/index.js';
import { randomBlock } from './support/blocks.js';
import { runCase, summarise } from './support/conformance.js';
import { NODE_BACKENDS, useBackend } from './support/node-backends.js';
import { normal, rng } from './support/random.js';
import { syntheticCases } from './support/synthetic.js';

const spec = defineSESpec({
  version: 1,
  channels: 12,
  reducedChannels: 4,
  squeeze: 'avg',
  activation: 'relu',
  gate: pytorchHardSigmoid,
  bias: true,
});

describe.each(NODE_BACKENDS)('seBlock on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('matches seReference for every squeeze, activation, gate, bias and gain (synthetic data)', async () => {
    const results = [];
    for (const testCase of syntheticCases()) results.push(...(await runCase(testCase)));
    console.log(summarise(backend, results, ' (synthetic spec variants)'));
    for (const r of results)
      expect(r.ulps, `${r.name} ${r.layout}`).toBeLessThanOrEqual(r.tolerance);
  });

  it('gives the same numbers for a se-core block, canonical tensors and TF.js kernels', async () => {
    const block = randomBlock(spec, 7);
    const x = tf.tensor4d(normal(rng(8), 2 * 5 * 5 * 12), [2, 5, 5, 12]);
    const weights = toSETensors(block);
    const kernels = toSETensors(block, { layout: 'kernel' });
    expect(kernels.weights.fc1Kernel?.shape).toEqual([12, 4]);
    expect(weights.weights.fc1Weight?.shape).toEqual([4, 12]);
    const a = await seBlock(x, block).data();
    const b = await seBlock(x, weights).data();
    const c = await seBlock(x, kernels).data();
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c)).toEqual(Array.from(a));
    x.dispose();
    disposeSETensors(weights);
    disposeSETensors(kernels);
  });

  it('exposes the descriptors, logits and excitation, close to seReferenceDetailed (every kind)', async () => {
    const cbam = defineSESpec({
      version: 2,
      channels: 12,
      excitation: { kind: 'cbam', reducedChannels: 4, activation: 'silu', bias: true },
      gate: pytorchHardSigmoid,
    });
    const ese = defineSESpec({ ...spec, excitation: { kind: 'ese', bias: true } });
    for (const [i, s] of [spec, cbam, ese].entries()) {
      const block = randomBlock(s, 9 + i);
      const values = normal(rng(10 + i), 3 * 12 * 4 * 6);
      const ref = seReferenceDetailed(s, block.weights, values, [3, 12, 4, 6], 'NCHW');
      const x = tf.tensor4d(values, [3, 12, 4, 6]);
      const { y, descriptors, logits, excitation } = seBlockDetailed(x, block, { layout: 'NCHW' });
      expect(descriptors.length).toBe(ref.descriptors.length);
      const close = async (t: tf.Tensor, expected: Float64Array) => {
        expect(t.shape).toEqual([3, 12]);
        expect(accuracyOf(await t.data(), expected, expected).maxAbsError).toBeLessThan(1e-5);
      };
      for (const [k, d] of descriptors.entries())
        await close(d, ref.descriptors[k] as Float64Array);
      await close(logits, ref.logits);
      await close(excitation, ref.excitation);
      expect(accuracyOf(await y.data(), ref.y, values).worstUlp).toBeLessThan(8);
      tf.dispose([x, y, ...descriptors, logits, excitation]);
    }
  });

  it("uses the spec's hard-sigmoid constants, not TF.js' fixed 0.2x + 0.5", async () => {
    // Logits near ±2.5…3 is where PyTorch's 1/6 slope and Keras 2's 0.2 disagree most.
    const torch = { ...randomBlock(spec, 11) };
    const keras = { spec: { ...spec, gate: keras2HardSigmoid }, weights: torch.weights };
    const values = normal(rng(12), 12 * 9, 3);
    const x = tf.tensor4d(values, [1, 3, 3, 12]);
    for (const block of [torch, keras]) {
      const expected = seReference(block.spec, block.weights, values, [1, 3, 3, 12], 'NHWC');
      expect(accuracyOf(await seBlock(x, block).data(), expected, values).worstUlp).toBeLessThan(8);
    }
    const keras32 = await seBlock(x, keras).data();
    const differs = accuracyOf(await seBlock(x, torch).data(), keras32, keras32);
    expect(differs.maxAbsError).toBeGreaterThan(1e-3);
    x.dispose();
  });

  it('accepts float64 weights (rounded to float32 once) and leaves tf.tidy nothing to clean', async () => {
    const block = randomBlock(spec, 13);
    const wide = {
      spec,
      weights: Object.fromEntries(
        Object.entries(block.weights).map(([key, v]) => [key, Float64Array.from(v ?? [])]),
      ),
    };
    const x = tf.tensor4d(normal(rng(14), 4 * 4 * 12), [1, 4, 4, 12]);
    const before = tf.memory().numTensors;
    const y = seBlock(x, wide);
    expect(tf.memory().numTensors).toBe(before + 1);
    const narrow = seBlock(x, block);
    expect(Array.from(await y.data())).toEqual(Array.from(await narrow.data()));
    tf.dispose([x, y, narrow]);
  });
});
