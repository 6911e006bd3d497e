import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// In Node the wasm backend finds its .wasm binaries next to its own files: no setWasmPaths.
import '@tensorflow/tfjs-backend-wasm';

/** The backends every Node run covers (tfjs-node, an optional peer, is a row of se-conformance's suite). */
export const NODE_BACKENDS = ['cpu', 'wasm'] as const;

export async function useBackend(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) {
    throw new Error(
      `backend ${name} failed to initialise (registered: ${Object.keys(tf.engine().registryFactory).join(', ')})`,
    );
  }
  await tf.ready();
}
