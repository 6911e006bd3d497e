import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { DigitSet } from '../data/mnist.js';
import { batchOf } from '../train/train.js';

/**
 * Sets every batch-norm layer's moving mean and variance to the exact statistics of its input
 * over `count` training images, layer by layer in data order ("precise BN", Wu & Johnson 2021).
 * TF.js' batch norm tracks them with momentum 0.99, so after the few hundred steps of a demo
 * they still remember their initial values and inference would be far worse than training.
 * Both twins get the same treatment.
 */
export async function recomputeBatchNormStatistics(
  model: tfl.LayersModel,
  set: DigitSet,
  count = 1000,
  batchSize = 250,
): Promise<void> {
  const norms = model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
  const total = Math.min(count, set.count);
  for (const layer of norms) {
    // Its input as the model computes it now (earlier layers already corrected).
    const probe = tfl.model({ inputs: model.inputs, outputs: layer.input as tfl.SymbolicTensor });
    const channels = (layer.input as tfl.SymbolicTensor).shape.at(-1) as number;
    const sum = new Float64Array(channels);
    const sumSquares = new Float64Array(channels);
    let n = 0;
    for (let start = 0; start < total; start += batchSize) {
      const indices = Array.from(
        { length: Math.min(batchSize, total - start) },
        (_, k) => start + k,
      );
      const [x, y] = batchOf(set, indices);
      const activation = probe.predict(x) as tf.Tensor;
      const values = (await activation.data()) as Float32Array;
      tf.dispose([x, y, activation]);
      for (let i = 0; i < values.length; i++) {
        const c = i % channels;
        const v = values[i] as number;
        sum[c] = (sum[c] as number) + v;
        sumSquares[c] = (sumSquares[c] as number) + v * v;
      }
      n += values.length / channels;
    }
    const mean = Float32Array.from(sum, (s) => s / n);
    const variance = Float32Array.from(sumSquares, (s, c) =>
      Math.max(0, s / n - (mean[c] as number) ** 2),
    );
    for (const variable of layer.weights) {
      const value = variable.originalName.endsWith('moving_mean')
        ? mean
        : variable.originalName.endsWith('moving_variance')
          ? variance
          : undefined;
      if (!value) continue;
      const t = tf.tensor1d(value);
      variable.write(t);
      t.dispose();
    }
  }
}
