import { pytorchHardSigmoid } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { SqueezeExcite, seBlock } from '../../src/index.js';
import { randomBlock } from '../support/blocks.js';
import { convFreeSEModel } from '../support/models.js';
import { normal, rng } from '../support/random.js';
import { tryBackend } from './backends.js';

describe.each(['webgl', 'webgpu'] as const)('SqueezeExcite on %s (Chromium)', (backend) => {
  it('saves to IndexedDB and local storage and loads back to identical predictions', async (context) => {
    const unavailable = await tryBackend(backend);
    if (unavailable) context.skip(unavailable);
    const model = convFreeSEModel({
      spec: { reducedChannels: 4, gate: pytorchHardSigmoid, activation: 'hardswish' },
    });
    const x = tf.tensor4d(normal(rng(1), 2 * 6 * 6 * 16), [2, 6, 6, 16]);
    const expected = Array.from(await (model.predict(x) as tf.Tensor).data());
    for (const url of [`indexeddb://se-tfjs-${backend}`, `localstorage://se-tfjs-${backend}`]) {
      await model.save(url);
      const loaded: LayersModel = await loadLayersModel(url);
      expect(loaded.getLayer('se')).toBeInstanceOf(SqueezeExcite);
      const y = loaded.predict(x) as tf.Tensor;
      expect(Array.from(await y.data()), url).toEqual(expected);
      y.dispose();
      loaded.dispose();
      await tf.io.removeModel(url);
    }
    x.dispose();
    model.dispose();
  });

  it('leaves no tensor behind: forward calls, training steps, disposal', async (context) => {
    const unavailable = await tryBackend(backend);
    if (unavailable) context.skip(unavailable);
    const start = tf.memory().numTensors;
    const block = randomBlock(
      new SqueezeExcite({ spec: { channels: 16, reducedChannels: 4 } }).spec,
      2,
    );
    const x = tf.tensor4d(normal(rng(3), 8 * 6 * 6 * 16), [8, 6, 6, 16]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 0, 1], 'int32'), 2));
    const model = convFreeSEModel({ spec: { reducedChannels: 4 } });
    const optimizer = tf.train.sgd(0.1);
    model.compile({ optimizer, loss: 'categoricalCrossentropy' });
    const before = tf.memory().numTensors;
    // Node runs 1,000 calls per backend; here a few dozen suffice (SwiftShader dispatches are slow).
    const t0 = performance.now();
    for (let i = 0; i < 25; i++) tf.dispose([seBlock(x, block), model.predict(x) as tf.Tensor]);
    const t1 = performance.now();
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const after = tf.memory().numTensors;
    console.log(
      `[se-tfjs memory] ${backend}: ${before} tensors before 50 forward calls (${(t1 - t0).toFixed(0)} ms) and a training step (${(performance.now() - t1).toFixed(0)} ms), ${after} after`,
    );
    expect(after).toBe(before);
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(start);
  });
});
