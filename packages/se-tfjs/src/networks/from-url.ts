import {
  type FetchPretrainedOptions,
  fetchPretrained,
  type NetworkDefinition,
} from '@seblock/se-core/networks';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { NetworkModelOptions } from './build-model.js';
import { loadPyTorchStateDict } from './state-dict.js';

/** Options of {@link loadNetworkFromUrl}: download options plus the model's input layout. */
export interface LoadNetworkFromUrlOptions extends FetchPretrainedOptions, NetworkModelOptions {}

/**
 * Downloads a Hugging Face style `config.json` + `model.safetensors` (timm or torchvision names)
 * and returns the built TF.js model with the weights loaded. Progress reports count the
 * weight bytes; HTTP errors and truncated downloads are `SEDownloadError`s naming the URL, a
 * checkpoint that does not fit the architecture an `SEStateDictError` listing every misfit.
 *
 * @example
 * ```ts
 * const { model } = await loadNetworkFromUrl('https://example.org/seresnet50', {
 *   inputLayout: 'NCHW',
 *   onProgress: ({ received, total }) => console.log(`${received} / ${total} bytes`),
 * });
 * ```
 */
export async function loadNetworkFromUrl(
  baseUrl: string,
  options: LoadNetworkFromUrlOptions = {},
): Promise<{
  model: LayersModel;
  network: NetworkDefinition;
  config: Readonly<Record<string, unknown>>;
}> {
  const { network, weights, config } = await fetchPretrained(baseUrl, options);
  const model = loadPyTorchStateDict(network, weights, options);
  return { model, network, config };
}
