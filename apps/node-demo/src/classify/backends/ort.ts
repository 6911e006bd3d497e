import { loadOnOnnxRuntime } from 'demo-imagenet/runtimes';
import type { Backend } from './types.js';

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
    async load(network, weights) {
      const ort = await importRuntime();
      ort.env.logLevel = 'error';
      return loadOnOnnxRuntime(network, weights, { runtime, ort });
    },
  };
}

export const ortNode = ortBackend('node');
export const ortWeb = ortBackend('web');
