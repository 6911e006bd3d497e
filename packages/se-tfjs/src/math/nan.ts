import * as tf from '@tensorflow/tfjs-core';

// PyTorch propagates NaN through every activation and gate (SPEC.md, "NaN and overflow").
// Not every TF.js kernel does on every backend (a clip or max may turn NaN into a bound), so
// the composed ops put NaN back explicitly where an op could lose it.

/** `f(z)`, except NaN where `z` is NaN. */
export function keepNaN<T extends tf.Tensor>(z: T, f: (z: T) => T): T {
  return tf.where(tf.isNaN(z), z, f(z)) as T;
}
