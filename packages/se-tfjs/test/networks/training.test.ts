import { checkpointFloats, checkpointIntegers, readCheckpoint } from '@seblock/se-core/networks';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { networkFixtureBytes, smallCase } from '../../../se-core/test/fixtures/networks/load.js';
import { exportPyTorchStateDict, loadPyTorchStateDict } from '../../src/networks/index.js';
import { useBackend } from '../support/node-backends.js';

beforeAll(() => useBackend('cpu'));

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i] as number));
  return m;
}

describe('training a network model', () => {
  it("one training-mode forward updates BatchNorm as PyTorch's does (momentum 0.1, unbiased variance)", () => {
    const c = smallCase('seresnet50');
    const model = loadPyTorchStateDict(c.network, c.stateDict, { inputLayout: 'NCHW' });
    const x = tf.tensor4d(c.x, [...c.inputShape]);
    const y = model.apply(x, { training: true }) as tf.Tensor;
    const expected = readCheckpoint(
      networkFixtureBytes('seresnet50-small.train-step.safetensors'),
    ).tensors;
    const logits = checkpointFloats(expected.get('logits') as never, 'logits');
    const got = y.dataSync();
    const logitError = maxAbs(logits.map((v, i) => v - (got[i] as number)));
    tf.dispose([x, y]);
    const after = readCheckpoint(exportPyTorchStateDict(model)).tensors;
    const before = readCheckpoint(c.stateDict).tensors;
    let statError = 0;
    let checked = 0;
    for (const [name, t] of expected) {
      if (name === 'logits') continue;
      const mine = after.get(name) as never;
      if (name.endsWith('num_batches_tracked')) {
        const previous = checkpointIntegers(before.get(name) as never, name)[0] as bigint;
        expect(checkpointIntegers(mine, name)[0], name).toBe(previous + 1n);
        expect(checkpointIntegers(t, name)[0], name).toBe(previous + 1n);
      } else {
        const want = checkpointFloats(t, name);
        const have = checkpointFloats(mine, name);
        statError = Math.max(
          statError,
          maxAbs(want.map((v, i) => (v - (have[i] as number)) / Math.max(1, Math.abs(v)))),
        );
      }
      checked++;
    }
    console.log(
      `[networks] train-mode step vs PyTorch: logits ${(logitError / maxAbs(logits)).toExponential(2)} of max|logit|, running statistics ${statError.toExponential(2)} (relative), ${checked} buffers`,
    );
    expect(checked).toBe(159);
    expect(logitError).toBeLessThanOrEqual(1e-4 * maxAbs(logits));
    expect(statError).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });

  it('fine-tunes with model.fit: the loss falls and the running statistics move', async () => {
    const c = smallCase('seresnet50');
    const model = loadPyTorchStateDict(c.network, c.stateDict);
    // The model outputs logits, as PyTorch's classifiers do.
    model.compile({
      optimizer: tf.train.adam(1e-3),
      loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
    });
    const xs = tf.randomNormal([8, 37, 29, 3], 0, 1, 'float32', 1);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 10);
    const history = await model.fit(xs, ys, {
      epochs: 12,
      batchSize: 4,
      shuffle: false,
      verbose: 0,
    });
    const losses = history.history.loss as number[];
    const after = readCheckpoint(exportPyTorchStateDict(model)).tensors;
    const before = readCheckpoint(c.stateDict).tensors;
    const count = (m: typeof after) =>
      checkpointIntegers(m.get('bn1.num_batches_tracked') as never, 'n')[0] as bigint;
    expect(count(after) - count(before)).toBe(24n); // 12 epochs × 2 batches
    expect(checkpointFloats(after.get('bn1.running_mean') as never, 'm')).not.toEqual(
      checkpointFloats(before.get('bn1.running_mean') as never, 'm'),
    );
    console.log(`[networks] fit: loss ${losses[0]?.toFixed(3)} → ${losses.at(-1)?.toFixed(3)}`);
    expect(losses.at(-1) as number).toBeLessThan(0.5 * (losses[0] as number));
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
