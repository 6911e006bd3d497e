import { SEImportError } from '../errors/index.js';
import { type DownloadOptions, downloadBytes } from './download.js';
import { type AnyNetworkOptions, buildNetwork } from './registry.js';
import type { NetworkDefinition } from './types.js';

/** A network and its weights, fetched from a Hugging Face style repository. */
export interface PretrainedNetwork {
  readonly network: NetworkDefinition;
  /**
   * The `model.safetensors` bytes, as long as announced (Content-Length); the safetensors
   * container itself is checked by whoever reads it (`readCheckpoint`), without a second copy here.
   */
  readonly weights: Uint8Array;
  /** The parsed `config.json`. */
  readonly config: Readonly<Record<string, unknown>>;
}

/** Options of {@link fetchPretrained}. */
export interface FetchPretrainedOptions extends DownloadOptions {
  /** Builder options over what config.json says (e.g. `width` for a reduced test twin). */
  readonly networkOptions?: AnyNetworkOptions;
}

/** `base/file`, whether or not `base` ends with a slash. */
function fileUrl(base: string, file: string): string {
  return `${base.replace(/\/+$/, '')}/${file}`;
}

/**
 * Fetches `config.json` and `model.safetensors` from a Hugging Face style folder URL (e.g.
 * `https://huggingface.co/timm/seresnet50.a1_in1k/resolve/main`) and builds the network the
 * config names (timm's `architecture` and `num_classes`). Progress reports cover the weights.
 *
 * @example
 * ```ts
 * const { network, weights } = await fetchPretrained('https://example.org/seresnet50', {
 *   onProgress: ({ received, total }) => console.log(received, total),
 * });
 * ```
 */
export async function fetchPretrained(
  baseUrl: string,
  options: FetchPretrainedOptions = {},
): Promise<PretrainedNetwork> {
  const configUrl = fileUrl(baseUrl, 'config.json');
  const configBytes = await downloadBytes(configUrl, { ...options, onProgress: undefined });
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(new TextDecoder().decode(configBytes));
  } catch (error) {
    throw new SEImportError(
      configUrl,
      'a JSON object',
      undefined,
      `invalid JSON (${(error as Error).message})`,
    );
  }
  if (typeof config !== 'object' || config === null || typeof config.architecture !== 'string') {
    throw new SEImportError(
      `${configUrl} architecture`,
      'a timm / torchvision model name',
      config?.architecture,
    );
  }
  const numClasses = config.num_classes;
  if (
    numClasses !== undefined &&
    (typeof numClasses !== 'number' || !Number.isInteger(numClasses))
  ) {
    throw new SEImportError(`${configUrl} num_classes`, 'an integer', numClasses);
  }
  const network = buildNetwork(config.architecture, {
    ...(numClasses !== undefined ? { numClasses } : {}),
    ...options.networkOptions,
  });
  const weights = await downloadBytes(fileUrl(baseUrl, 'model.safetensors'), options);
  return { network, weights, config };
}
