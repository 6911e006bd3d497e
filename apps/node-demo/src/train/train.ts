import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CLASSES, type DigitSet, IMAGE_SIZE, PIXELS } from '../data/mnist.js';
import { hashString, mulberry32, shuffleInPlace } from '../random.js';
import type { ProgressBar } from '../ui/progress.js';

export interface TrainOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  /** A progress bar for one epoch (1-based). */
  readonly progress: (epoch: number, total: number) => ProgressBar;
}

export interface EpochResult {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly seconds: number;
}

/** The images at `indices` as an [n, 28, 28, 1] tensor and their one-hot labels. */
export function batchOf(set: DigitSet, indices: readonly number[]): [tf.Tensor4D, tf.Tensor2D] {
  const images = new Float32Array(indices.length * PIXELS);
  const labels = new Int32Array(indices.length);
  indices.forEach((index, k) => {
    images.set(set.images.subarray(index * PIXELS, (index + 1) * PIXELS), k * PIXELS);
    labels[k] = set.labels[index] as number;
  });
  return tf.tidy(() => [
    tf.tensor4d(images, [indices.length, IMAGE_SIZE, IMAGE_SIZE, 1]),
    tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES) as tf.Tensor2D,
  ]);
}

/**
 * Mini-batch training with Adam. Each epoch visits the images in an order drawn from
 * (seed, epoch), so both twins see the same batches in the same order.
 */
export async function train(
  model: tfl.LayersModel,
  set: DigitSet,
  options: TrainOptions,
): Promise<EpochResult[]> {
  model.compile({
    optimizer: tf.train.adam(options.learningRate),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const results: EpochResult[] = [];
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const started = performance.now();
    const order = shuffleInPlace(
      Array.from({ length: set.count }, (_, i) => i),
      mulberry32(hashString(`${options.seed}:epoch ${epoch}`)),
    );
    const bar = options.progress(epoch, set.count);
    let lossSum = 0;
    let correctSum = 0;
    for (let start = 0; start < set.count; start += options.batchSize) {
      const indices = order.slice(start, start + options.batchSize);
      const [x, y] = batchOf(set, indices);
      const [loss, accuracy] = (await model.trainOnBatch(x, y)) as number[];
      tf.dispose([x, y]);
      lossSum += (loss as number) * indices.length;
      correctSum += (accuracy as number) * indices.length;
      const seen = start + indices.length;
      bar.update(
        seen,
        `loss ${(lossSum / seen).toFixed(3)}  acc ${((100 * correctSum) / seen).toFixed(1)}%`,
      );
    }
    const result: EpochResult = {
      epoch,
      loss: lossSum / set.count,
      accuracy: correctSum / set.count,
      seconds: (performance.now() - started) / 1000,
    };
    bar.finish(`loss ${result.loss.toFixed(3)}  acc ${(100 * result.accuracy).toFixed(1)}%`);
    results.push(result);
  }
  return results;
}

/** Class probabilities for every image of `set`, in batches (inference mode: BN uses its moving statistics). */
export async function predictAll(
  model: tfl.LayersModel,
  set: DigitSet,
  batchSize = 250,
): Promise<Float32Array> {
  const out = new Float32Array(set.count * CLASSES);
  for (let start = 0; start < set.count; start += batchSize) {
    const indices = Array.from(
      { length: Math.min(batchSize, set.count - start) },
      (_, k) => start + k,
    );
    const [x, y] = batchOf(set, indices);
    const p = model.predict(x) as tf.Tensor;
    out.set((await p.data()) as Float32Array, start * CLASSES);
    tf.dispose([x, y, p]);
  }
  return out;
}

/** The index of the largest of each row of `classes` values. */
export function argmaxRows(probabilities: Float32Array, classes = CLASSES): Uint8Array {
  const rows = probabilities.length / classes;
  const result = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) {
      if (
        (probabilities[r * classes + c] as number) > (probabilities[r * classes + best] as number)
      )
        best = c;
    }
    result[r] = best;
  }
  return result;
}

/** Share of `set` whose most probable class is its label. */
export function accuracyOn(set: DigitSet, probabilities: Float32Array): number {
  const predicted = argmaxRows(probabilities);
  let correct = 0;
  for (let i = 0; i < set.count; i++) if (predicted[i] === set.labels[i]) correct++;
  return correct / set.count;
}
