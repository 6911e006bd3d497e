import * as tf from '@tensorflow/tfjs-core';
import {
  model as functionalModel,
  type History,
  input,
  layers,
  type SymbolicTensor,
} from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSEBlock, SqueezeExcite, seResNetBasicBlock } from '../src/index.js';
import { convFreeSEModel } from './support/models.js';
import { useBackend } from './support/node-backends.js';
import { normal, rng } from './support/random.js';

beforeAll(() => useBackend('cpu'));

/** A small task: is channel 0 brighter on average than channel 1? (side × side × channels images) */
function dataset(
  count: number,
  seed: number,
  side: number,
  channels: number,
): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const plane = side * side;
  const values = normal(rng(seed), count * plane * channels);
  const labels = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    let difference = 0;
    for (let p = 0; p < plane; p++) {
      const at = (i * plane + p) * channels;
      difference += (values[at] as number) - (values[at + 1] as number);
    }
    labels[i * 2 + (difference > 0 ? 1 : 0)] = 1;
  }
  return {
    xs: tf.tensor4d(values, [count, side, side, channels]),
    ys: tf.tensor2d(labels, [count, 2]),
  };
}

describe('training with model.fit', () => {
  it('decreases the loss on a small synthetic task and updates the SE weights', async () => {
    const model = convFreeSEModel({ spec: { reducedChannels: 4 } }, 11);
    model.compile({
      optimizer: tf.train.adam(0.05),
      loss: 'categoricalCrossentropy',
    });
    const { xs, ys } = dataset(96, 12, 6, 16);
    const se = model.getLayer('se') as SqueezeExcite;
    const before = await readSEBlock(se);
    const history: History = await model.fit(xs, ys, {
      epochs: 20,
      batchSize: 32,
      shuffle: false,
      verbose: 0,
    });
    const losses = history.history.loss as number[];
    console.log(
      `[se-tfjs training] loss ${losses[0]?.toFixed(4)} → ${losses.at(-1)?.toFixed(4)} over ${losses.length} epochs`,
    );
    expect(losses.at(-1) as number).toBeLessThan(0.6 * (losses[0] as number));
    const after = await readSEBlock(se);
    expect(Array.from(after.weights.fc1Weight ?? [])).not.toEqual(
      Array.from(before.weights.fc1Weight ?? []),
    );
    expect(Array.from(after.weights.fc2Bias ?? [])).not.toEqual(
      Array.from(before.weights.fc2Bias ?? []),
    );
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('trains an SE-ResNet block end to end (gradients flow through every placement)', async () => {
    for (const placement of ['standard', 'pre', 'post', 'identity'] as const) {
      const x = input({ shape: [4, 4, 8] });
      let y = seResNetBasicBlock(x, {
        filters: 8,
        placement,
        se: { rule: { preset: 'paper', ratio: 4 } },
      });
      y = layers.globalAveragePooling2d({}).apply(y) as SymbolicTensor;
      y = layers.dense({ units: 2, activation: 'softmax' }).apply(y) as SymbolicTensor;
      const model = functionalModel({ inputs: x, outputs: y });
      model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
      const { xs, ys } = dataset(8, 13, 4, 8);
      const se = model.layers.find((l) => l instanceof SqueezeExcite) as SqueezeExcite;
      const before = await readSEBlock(se);
      await model.fit(xs, ys, { epochs: 1, batchSize: 8, verbose: 0 });
      const after = await readSEBlock(se);
      // Every SE weight that can receive a gradient moves (a ReLU unit that is off for the whole
      // batch legitimately passes none to its fc1 row, so compare all weights together).
      const all = (b: typeof before) =>
        Object.values(b.weights).flatMap((w) => Array.from(w as Float32Array));
      const previous = all(before);
      const moved = all(after).filter((v, i) => v !== previous[i]).length;
      expect(moved, placement).toBeGreaterThan(0);
      tf.dispose([xs, ys]);
      model.dispose();
    }
  });
});
