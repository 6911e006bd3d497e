import { type FetchPretrainedOptions, fetchPretrained } from '@seblock/se-core/networks';
import type { OrtTensorLike } from '../session/runtime.js';
import { loadNetworkSession, type NetworkSession, type NetworkSessionOptions } from './session.js';

/** Options of {@link loadNetworkSessionFromUrl}: the download's and the session's. */
export interface LoadNetworkSessionFromUrlOptions<T extends OrtTensorLike = OrtTensorLike>
  extends FetchPretrainedOptions,
    Omit<NetworkSessionOptions<T>, 'network'> {}

/**
 * Downloads a Hugging Face style `config.json` + `model.safetensors` (timm or torchvision
 * names: the config's `architecture` and `num_classes` choose the network) and opens an
 * onnxruntime session on it. Progress reports count the weight bytes; HTTP errors and
 * truncated downloads are `SEDownloadError`s naming the URL, a checkpoint that does not fit
 * the network an `SEImportError` listing every misfit. The download is se-core's, shared with
 * the TF.js adapter.
 *
 * @example
 * ```ts
 * const session = await loadNetworkSessionFromUrl('https://example.org/seresnet50', {
 *   runtime: 'node',
 *   onProgress: ({ received, total }) => console.log(`${received} / ${total} bytes`),
 * });
 * ```
 */
export async function loadNetworkSessionFromUrl<T extends OrtTensorLike = OrtTensorLike>(
  baseUrl: string,
  options: LoadNetworkSessionFromUrlOptions<T>,
): Promise<NetworkSession<T> & { readonly config: Readonly<Record<string, unknown>> }> {
  const { network, weights, config } = await fetchPretrained(baseUrl, options);
  const session = await loadNetworkSession(network, weights, options);
  return { ...session, config };
}
