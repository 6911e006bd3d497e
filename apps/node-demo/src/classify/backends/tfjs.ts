import type { NetworkDefinition } from '@seblock/se-core/networks';
import { loadPyTorchStateDict } from '@seblock/se-tfjs/networks';
import * as tf from '@tensorflow/tfjs-core';
import type { Backend, LoadedNetwork } from './types.js';

async function activate(name: 'cpu' | 'wasm'): Promise<void> {
  // Production mode: no debug checks, and no banner suggesting tfjs-node (an optional native
  // backend that needs a libtensorflow download; the README says where it helps).
  tf.enableProdMode();
  // Each backend registers itself on import; only the ones asked for are loaded.
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  else await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend(name))) throw new Error(`TF.js could not start its ${name} backend`);
  await tf.ready();
}

/** A TF.js backend: se-tfjs' `loadPyTorchStateDict` builds the model with the checkpoint's weights. */
function tfjsBackend(name: 'cpu' | 'wasm'): Backend {
  return {
    id: `tfjs-${name}`,
    label: `TF.js ${name}`,
    async describe() {
      return `@tensorflow/tfjs-core ${tf.version_core}, ${name} backend${name === 'cpu' ? ' (plain JavaScript)' : ' (WebAssembly, XNNPACK)'}`;
    },
    async load(network: NetworkDefinition, weights: Uint8Array): Promise<LoadedNetwork> {
      await activate(name);
      // PyTorch's NCHW input; the model transposes it once to TF.js' NHWC.
      const model = loadPyTorchStateDict(network, weights, { inputLayout: 'NCHW' });
      return {
        async run(input, shape) {
          await tf.setBackend(name);
          const x = tf.tensor(input, [...shape]);
          const y = model.predict(x) as tf.Tensor;
          try {
            return (await y.data()) as Float32Array;
          } finally {
            tf.dispose([x, y]);
          }
        },
        async dispose() {
          model.dispose();
        },
      };
    },
  };
}

export const tfjsCpu = tfjsBackend('cpu');
export const tfjsWasm = tfjsBackend('wasm');
