import { defineSESpec, pytorchHardSigmoid } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { input } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeSETensors, SqueezeExcite, seBlock, toSETensors } from '../src/index.js';
import { randomBlock } from './support/blocks.js';
import { convFreeSEModel, smallSEModel } from './support/models.js';
import { NODE_BACKENDS, useBackend } from './support/node-backends.js';
import { normal, rng } from './support/random.js';

// tf.memory().numTensors before == after: 1,000 forward calls, training steps, disposal.

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

describe.each(NODE_BACKENDS)('memory on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('1,000 forward calls of seBlock (typed arrays, tensors) and of the layer leave no tensor behind', async () => {
    const block = randomBlock(spec, 1);
    const tensors = toSETensors(block);
    const layer = new SqueezeExcite({ spec });
    const x = tf.tensor4d(normal(rng(2), 2 * 4 * 4 * 16), [2, 4, 4, 16]);
    tf.dispose(layer.apply(x) as tf.Tensor); // build the layer once
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) {
      tf.dispose([seBlock(x, block), seBlock(x, tensors), layer.apply(x) as tf.Tensor]);
    }
    const after = tf.memory().numTensors;
    console.log(
      `[se-tfjs memory] ${backend}: ${before} tensors before 3 × 1,000 forward calls, ${after} after`,
    );
    expect(after).toBe(before);
    x.dispose();
    disposeSETensors(tensors);
    layer.dispose();
  });

  it('a training step (SGD; Adam after its one-time moment allocation) leaves no tensor behind', async () => {
    const x = tf.tensor4d(normal(rng(3), 8 * 6 * 6 * 16), [8, 6, 6, 16]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 0, 1], 'int32'), 2));
    for (const [name, optimizer] of [
      ['sgd', tf.train.sgd(0.1)],
      ['adam', tf.train.adam(0.01)],
    ] as const) {
      const model = convFreeSEModel({ spec });
      model.compile({ optimizer, loss: 'categoricalCrossentropy' });
      if (name === 'adam') await model.trainOnBatch(x, y); // Adam creates 2 variables per weight, once
      const before = tf.memory().numTensors;
      await model.trainOnBatch(x, y);
      await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
      const after = tf.memory().numTensors;
      console.log(
        `[se-tfjs memory] ${backend} ${name}: ${before} tensors before training steps, ${after} after`,
      );
      expect(after, name).toBe(before);
      model.dispose();
      optimizer.dispose();
    }
    tf.dispose([x, y]);
  });

  it('disposing a layer (or a model that holds it) frees all of its tensors', () => {
    const before = tf.memory().numTensors;
    const layer = new SqueezeExcite({ spec });
    const probe = tf.ones([1, 3, 3, 16]);
    tf.dispose(layer.apply(probe) as tf.Tensor);
    probe.dispose();
    expect(tf.memory().numTensors).toBe(before + 4);
    expect(layer.dispose().numDisposedVariables).toBe(4);
    expect(tf.memory().numTensors).toBe(before);

    const symbolic = new SqueezeExcite({ spec: { reducedChannels: 2 } });
    symbolic.apply(input({ shape: [5, 5, 8] }));
    symbolic.dispose();
    const model = smallSEModel();
    model.dispose();
    const after = tf.memory().numTensors;
    console.log(
      `[se-tfjs memory] ${backend}: ${before} tensors before creating and disposing layers and a model, ${after} after`,
    );
    expect(after).toBe(before);
  });
});
