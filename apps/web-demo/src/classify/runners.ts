// The six backends of the classify page: TF.js cpu, wasm, webgl, webgpu (se-tfjs'
// loadPyTorchStateDict) and onnxruntime-web wasm, webgpu (se-onnxruntime's loadNetworkSession),
// each loading the same checkpoint bytes.
import type { NetworkDefinition } from '@seblock/se-core/networks';
import { loadNetworkSession } from '@seblock/se-onnxruntime/networks';
import { loadPyTorchStateDict } from '@seblock/se-tfjs/networks';
import * as tf from '@tensorflow/tfjs-core';
import { probeBackend, type TfjsBackend, webgpuUnavailable } from '../backends.js';
import { ort } from '../ort-env.js';

/** A network on one backend, ready to classify. */
export interface LoadedNetwork {
  run(input: Float32Array, shape: readonly number[]): Promise<Float32Array>;
  dispose(): Promise<void>;
}

export interface PageBackend {
  readonly id: string;
  readonly label: string;
  /** Why it cannot run in this browser, or its description when it can. */
  probe(): Promise<{ available: true; detail: string } | { available: false; reason: string }>;
  load(network: NetworkDefinition, weights: Uint8Array): Promise<LoadedNetwork>;
}

function tfjsBackend(name: TfjsBackend): PageBackend {
  return {
    id: `tfjs-${name}`,
    label: `TF.js ${name}`,
    probe: () => probeBackend(name),
    async load(network, weights) {
      await tf.setBackend(name);
      // PyTorch's NCHW input; the model transposes it once to TF.js' NHWC.
      const model = loadPyTorchStateDict(network, weights, { inputLayout: 'NCHW' });
      return {
        async run(input, shape) {
          await tf.setBackend(name);
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
    },
  };
}

function ortBackend(provider: 'wasm' | 'webgpu'): PageBackend {
  return {
    id: `ort-${provider}`,
    label: `onnxruntime-web ${provider}`,
    async probe() {
      const missing = provider === 'webgpu' ? await webgpuUnavailable() : undefined;
      if (missing) return { available: false, reason: missing };
      return {
        available: true,
        detail:
          provider === 'wasm' ? 'WebAssembly, single thread' : 'JSEP WebGPU execution provider',
      };
    },
    async load(network, weights) {
      const session = await loadNetworkSession(network, weights, {
        runtime: 'web',
        ort,
        executionProviders: [provider],
      });
      return {
        run: (input, shape) => session.runArray(input, shape),
        dispose: () => session.release(),
      };
    },
  };
}

/** In the order the page shows them. */
export const PAGE_BACKENDS: readonly PageBackend[] = [
  tfjsBackend('cpu'),
  tfjsBackend('wasm'),
  tfjsBackend('webgl'),
  tfjsBackend('webgpu'),
  ortBackend('wasm'),
  ortBackend('webgpu'),
];

/**
 * The order they run in: quickest first, so the page fills in while the slow ones work
 * (TF.js cpu is plain JavaScript: seconds to tens of seconds for a full-size network).
 */
const RUN_ORDER = ['ort-wasm', 'tfjs-wasm', 'ort-webgpu', 'tfjs-webgpu', 'tfjs-webgl', 'tfjs-cpu'];

/**
 * The backends to run, in run order: all, or those `?backends=` lists (comma-separated ids).
 * An unknown id is an error naming the known ones.
 */
export function backendsToRun(search: string): PageBackend[] {
  const asked = new URLSearchParams(search)
    .get('backends')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of asked ?? [])
    if (!PAGE_BACKENDS.some((b) => b.id === id))
      throw new Error(
        `?backends: expected ids from ${PAGE_BACKENDS.map((b) => b.id).join(', ')}, received "${id}"`,
      );
  return RUN_ORDER.filter((id) => !asked || asked.includes(id)).map(
    (id) => PAGE_BACKENDS.find((b) => b.id === id) as PageBackend,
  );
}
