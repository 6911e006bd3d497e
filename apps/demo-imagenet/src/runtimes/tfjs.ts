import type { NetworkDefinition } from '@seblock/se-core/networks';
import { loadPyTorchStateDict } from '@seblock/se-tfjs/networks';
import * as tf from '@tensorflow/tfjs-core';
import type { LoadedNetwork } from './loaded-network.js';

/**
 * A checkpoint on one TF.js backend (registered by the caller: cpu, wasm, webgl, webgpu, …):
 * se-tfjs' `loadPyTorchStateDict` builds the model, with PyTorch's NCHW input (the model
 * transposes it once to TF.js' NHWC). Each run makes `backend` the active one again, since the
 * weights live there.
 *
 * @example
 * ```ts
 * const net = await loadOnTfjs('wasm', seResNet50(), weights);
 * const logits = await net.run(input, [1, 3, 224, 224]);
 * await net.dispose();
 * ```
 */
export async function loadOnTfjs(
  backend: string,
  network: NetworkDefinition,
  weights: Uint8Array,
): Promise<LoadedNetwork> {
  if (!(await tf.setBackend(backend)))
    throw new Error(`TF.js could not start its ${backend} backend`);
  await tf.ready();
  const model = loadPyTorchStateDict(network, weights, { inputLayout: 'NCHW' });
  return {
    async run(input, shape) {
      await tf.setBackend(backend);
      const x = tf.tensor(input, [...shape]);
      const y = model.predict(x) as tf.Tensor;
      try {
        // data(), not dataSync(): GPU backends read back asynchronously.
        return (await y.data()) as Float32Array;
      } finally {
        tf.dispose([x, y]);
      }
    },
    async dispose() {
      model.dispose();
    },
  };
}
