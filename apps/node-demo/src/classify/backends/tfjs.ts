import * as tf from '@tensorflow/tfjs-core';
import { loadOnTfjs } from 'demo-imagenet/runtimes';
import type { Backend } from './types.js';

/** A TF.js backend: se-tfjs' `loadPyTorchStateDict` builds the model with the checkpoint's weights. */
function tfjsBackend(name: 'cpu' | 'wasm'): Backend {
  return {
    id: `tfjs-${name}`,
    label: `TF.js ${name}`,
    async describe() {
      return `@tensorflow/tfjs-core ${tf.version_core}, ${name} backend${name === 'cpu' ? ' (plain JavaScript)' : ' (WebAssembly, XNNPACK)'}`;
    },
    async load(network, weights) {
      // Production mode: no debug checks, and no banner suggesting tfjs-node (an optional native
      // backend that needs a libtensorflow download; the README says where it helps).
      tf.enableProdMode();
      // Each backend registers itself on import; only the ones asked for are loaded.
      if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
      else await import('@tensorflow/tfjs-backend-cpu');
      return loadOnTfjs(name, network, weights);
    },
  };
}

export const tfjsCpu = tfjsBackend('cpu');
export const tfjsWasm = tfjsBackend('wasm');
