// The six backends of the classify page: TF.js cpu, wasm, webgl, webgpu (se-tfjs'
// loadPyTorchStateDict) and onnxruntime-web wasm, webgpu (se-onnxruntime's loadNetworkSession),
// each loading the same checkpoint bytes.
import type { NetworkDefinition } from '@seblock/se-core/networks';
import { type LoadedNetwork, loadOnOnnxRuntime, loadOnTfjs } from 'demo-imagenet/runtimes';
import { probeBackend, type TfjsBackend, webgpuUnavailable } from '../backends.js';
import { ort } from '../ort-env.js';

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
    load: (network, weights) => loadOnTfjs(name, network, weights),
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
    load: (network, weights) =>
      loadOnOnnxRuntime(network, weights, { runtime: 'web', ort, executionProviders: [provider] }),
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
