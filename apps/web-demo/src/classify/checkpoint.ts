import { fetchPretrained, type NetworkDefinition } from '@seblock/se-core/networks';
import { isSeededConfig } from 'demo-imagenet';

/** The checkpoint the page classifies with: downloaded once, handed to every backend. */
export interface PageCheckpoint {
  readonly url: string;
  readonly network: NetworkDefinition;
  readonly weights: Uint8Array;
  readonly config: Readonly<Record<string, unknown>>;
  readonly seeded: boolean;
  readonly seconds: number;
}

/** The seeded SE-ResNet-50, served by the preview server (plugins/seeded-checkpoint.ts). */
export const DEFAULT_CHECKPOINT = 'checkpoints/seresnet50-seeded/';

/**
 * Downloads a Hugging Face style folder (config.json + model.safetensors) with se-core's
 * `fetchPretrained`, the loader inside both adapters' `…FromUrl` functions: once, since six
 * backends downloading 112 MB each would be 672 MB over the wire.
 */
export async function downloadCheckpoint(
  folder: string,
  onProgress: (received: number, total: number | undefined) => void,
): Promise<PageCheckpoint> {
  const url = new URL(folder, document.baseURI).href;
  const started = performance.now();
  const { network, weights, config } = await fetchPretrained(url, {
    onProgress: ({ received, total }) => onProgress(received, total),
  });
  return {
    url,
    network,
    weights,
    config,
    seeded: isSeededConfig(config),
    seconds: (performance.now() - started) / 1000,
  };
}
