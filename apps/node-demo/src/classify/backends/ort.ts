import type { NetworkDefinition } from '@seblock/se-core/networks';
import { loadNetworkSession } from '@seblock/se-onnxruntime/networks';
import type { Backend, LoadedNetwork } from './types.js';

/**
 * An onnxruntime backend: se-onnxruntime's `loadNetworkSession` builds the ONNX model from the
 * checkpoint and opens a session on it. onnxruntime-node runs its native CPU provider;
 * onnxruntime-web its WebAssembly build, here in Node (in a browser it is the same code).
 */
function ortBackend(runtime: 'node' | 'web'): Backend {
  const importRuntime = () =>
    runtime === 'node' ? import('onnxruntime-node') : import('onnxruntime-web');
  return {
    id: `ort-${runtime}`,
    label: runtime === 'node' ? 'onnxruntime-node' : 'onnxruntime-web',
    async describe() {
      const ort = await importRuntime();
      const version = runtime === 'node' ? ort.env.versions.node : ort.env.versions.web;
      return `onnxruntime-${runtime} ${version ?? ''}, ${runtime === 'node' ? 'cpu execution provider (native)' : 'wasm execution provider'}`;
    },
    async load(network: NetworkDefinition, weights: Uint8Array): Promise<LoadedNetwork> {
      const ort = await importRuntime();
      ort.env.logLevel = 'error';
      const session = await loadNetworkSession(network, weights, { runtime, ort });
      return {
        run: (input, shape) => session.runArray(input, shape),
        dispose: () => session.release(),
      };
    },
  };
}

export const ortNode = ortBackend('node');
export const ortWeb = ortBackend('web');
