import type { SEBlock } from '@seblock/se-core';
import { seBlockDetailed } from '@seblock/se-tfjs';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { CLASSES, type DigitSet } from '../data/mnist.js';
import { seLayersOf, seProbe } from '../model/se-layers.js';
import { batchOf } from '../train/train.js';

export interface ClassExcitations {
  readonly block: string;
  readonly channels: number;
  /** [class][channel]: the mean excitation (the gate's output) over that class's images. */
  readonly mean: number[][];
  /**
   * How class-specific the block is: for each channel, the standard deviation across classes
   * of its mean excitation, averaged over channels. 0 means every class is gated alike.
   */
  readonly spreadAcrossClasses: number;
}

/**
 * Mean excitation per digit class for every SE block, over `set` (the paper, §7.2, Fig. 6:
 * early excitations are shared by all classes, late ones become class-specific).
 */
export async function excitationsByClass(
  model: tfl.LayersModel,
  blocks: ReadonlyMap<string, SEBlock>,
  set: DigitSet,
  batchSize = 250,
): Promise<ClassExcitations[]> {
  const layers = seLayersOf(model);
  const probe = seProbe(model);
  const sums = layers.map((l) =>
    Array.from({ length: CLASSES }, () => new Float64Array(l.spec.channels)),
  );
  const counts = new Array<number>(CLASSES).fill(0);
  for (let start = 0; start < set.count; start += batchSize) {
    const indices = Array.from(
      { length: Math.min(batchSize, set.count - start) },
      (_, k) => start + k,
    );
    const [images, labels] = batchOf(set, indices);
    const outputs = probe.predict(images) as tf.Tensor[];
    for (const [k, layer] of layers.entries()) {
      const block = blocks.get(layer.name) as SEBlock;
      const { y, descriptors, logits, excitation } = seBlockDetailed(
        outputs[2 * k] as tf.Tensor4D,
        block,
      );
      const e = (await excitation.data()) as Float32Array;
      tf.dispose([y, ...descriptors, logits, excitation]);
      const c = layer.spec.channels;
      indices.forEach((index, row) => {
        const perClass = sums[k]?.[set.labels[index] as number] as Float64Array;
        for (let ch = 0; ch < c; ch++)
          perClass[ch] = (perClass[ch] as number) + (e[row * c + ch] as number);
      });
    }
    for (const index of indices)
      counts[set.labels[index] as number] = (counts[set.labels[index] as number] as number) + 1;
    tf.dispose([images, labels, ...outputs]);
  }
  return layers.map((layer, k) => {
    const c = layer.spec.channels;
    const mean = (sums[k] as Float64Array[]).map((row, label) =>
      Array.from(row, (v) => v / Math.max(1, counts[label] as number)),
    );
    let spread = 0;
    for (let ch = 0; ch < c; ch++) {
      const column = mean.map((row) => row[ch] as number);
      const mu = column.reduce((a, b) => a + b, 0) / column.length;
      spread += Math.sqrt(column.reduce((a, b) => a + (b - mu) ** 2, 0) / column.length);
    }
    return { block: layer.name, channels: c, mean, spreadAcrossClasses: spread / c };
  });
}
