import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { hashString, mulberry32, normal } from '../random.js';

/** Initial values of one kernel, drawn from a generator seeded by (seed, weight name). */
function drawKernel(shape: readonly number[], random: () => number): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  if (shape.length === 4) {
    // He-normal truncated at 2σ, as TF.js' heNormal (what se-tfjs gives its convolutions).
    const fanIn = (shape[0] as number) * (shape[1] as number) * (shape[2] as number);
    const std = Math.sqrt(2 / fanIn);
    for (let k = 0; k < size; k++) {
      let z = normal(random);
      while (Math.abs(z) > 2) z = normal(random);
      data[k] = z * std;
    }
  } else {
    // Glorot-uniform: TF.js' default for dense layers and se-tfjs' for the SE layers, with
    // TF.js' fans (computeFans): [in, out] for a matrix, √size each otherwise (ECA's [k] kernel).
    const [fanIn, fanOut] =
      shape.length === 2 ? (shape as [number, number]) : [Math.sqrt(size), Math.sqrt(size)];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    for (let k = 0; k < size; k++) data[k] = (random() * 2 - 1) * limit;
  }
  return data;
}

/**
 * Draws every kernel again, reproducibly: TF.js initialisers draw from Math.random unless each
 * one is given a seed, and the SE-ResNet blocks create theirs inside se-tfjs. Biases and
 * batch-norm parameters keep their constant initial values. The twins' shared layers have the
 * same names, so they start from the same numbers.
 */
export function initialiseWeights(model: tfl.LayersModel, seed: number): void {
  for (const variable of model.weights) {
    if (!variable.originalName.endsWith('kernel')) continue;
    const random = mulberry32(hashString(`${seed}:${variable.originalName}`));
    // Weight shapes are always concrete (only activations have a null batch dim).
    const shape = variable.shape as number[];
    const value = tf.tensor(drawKernel(shape, random), shape, 'float32');
    variable.write(value);
    value.dispose();
  }
}
