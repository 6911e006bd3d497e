import { float32Ulp } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { NetworkCase } from '../../../se-core/test/fixtures/networks/load.js';

/** 4 float32 ULPs of max |logit| plus twice PyTorch's own float32 error on the same case. */
export function networkTolerance(c: NetworkCase): number {
  return 4 * float32Ulp(c.maxAbsLogit) + 2 * c.torchError;
}

/** Runs the model on the case's NCHW input; returns the max error vs PyTorch float64 and the tolerance. */
export async function compareWithPyTorch(model: LayersModel, c: NetworkCase) {
  const x = tf.tensor4d(c.x, [...c.inputShape]);
  const y = model.predict(x) as tf.Tensor;
  // data(), not dataSync(): GPU backends read back asynchronously.
  const values = await y.data();
  tf.dispose([x, y]);
  let error = 0;
  for (let i = 0; i < c.y64.length; i++)
    error = Math.max(error, Math.abs((values[i] as number) - (c.y64[i] as number)));
  const tolerance = networkTolerance(c);
  const ulp = float32Ulp(c.maxAbsLogit);
  return { error, tolerance, ulps: error / ulp, allowedUlps: tolerance / ulp, shape: y.shape };
}
