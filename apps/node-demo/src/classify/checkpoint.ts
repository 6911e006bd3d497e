import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SEError } from '@seblock/se-core';
import {
  buildNetwork,
  type FetchPretrainedOptions,
  fetchPretrained,
  matchStateDict,
  type NetworkDefinition,
  SEDownloadError,
  stateDictSchema,
} from '@seblock/se-core/networks';
import { isSeededConfig, SEEDED_SEED, seededCheckpoint, seededConfig } from 'demo-imagenet';
import { CheckpointError, InputFileError } from './errors.js';
import { readInputFile } from './input-file.js';

/** A checkpoint ready for every backend: the network it fits and its safetensors bytes. */
export interface LoadedCheckpoint {
  readonly network: NetworkDefinition;
  readonly weights: Uint8Array;
  /** Its config.json (preprocessing, class names); `{}` without one. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Where it came from, for the report. */
  readonly source: string;
  /** se-core's seeded weights: not trained. */
  readonly seeded: boolean;
  readonly seconds: number;
}

export interface CheckpointRequest {
  readonly source: string | undefined;
  readonly architecture: string;
  readonly numClasses: number;
  readonly onProgress?: FetchPretrainedOptions['onProgress'];
}

const isUrl = (source: string) => /^https?:\/\//i.test(source);

/** A local model.safetensors (or the folder holding it), with the config.json beside it if any. */
async function fromDisk(request: CheckpointRequest & { source: string }) {
  const info = await stat(request.source).catch(() => undefined);
  if (!info) throw new InputFileError('checkpoint', request.source, 'no such file or folder');
  const folder = info.isDirectory() ? request.source : dirname(request.source);
  const file = info.isDirectory() ? join(folder, 'model.safetensors') : request.source;
  const configBytes = await readFile(join(folder, 'config.json')).catch(() => undefined);
  let config: Record<string, unknown> = {};
  if (configBytes) {
    try {
      config = JSON.parse(configBytes.toString('utf8'));
    } catch (error) {
      throw new InputFileError(
        'config',
        join(folder, 'config.json'),
        `invalid JSON (${(error as Error).message})`,
      );
    }
  }
  // The same rules as a download (se-core's fetchPretrained): timm's architecture and num_classes.
  const architecture =
    typeof config.architecture === 'string' ? config.architecture : request.architecture;
  const numClasses =
    typeof config.num_classes === 'number' ? config.num_classes : request.numClasses;
  const network = buildNetwork(architecture, { numClasses });
  return { network, weights: await readInputFile('checkpoint', file), config, source: file };
}

/**
 * Checks, before any backend loads it, that the checkpoint fits the network: se-core's
 * `matchStateDict`, the policy both adapters apply (every tensor by PyTorch name, shape and
 * dtype, one error listing every misfit; `num_batches_tracked` may be absent).
 */
function checkFits(network: NetworkDefinition, weights: Uint8Array): void {
  matchStateDict(stateDictSchema(network), weights, network.architecture);
}

/**
 * The checkpoint to classify with: the seeded SE-ResNet-50 (made in memory) when no source is
 * given, a download from a Hugging Face style folder URL, or a local file or folder. Whatever the
 * source, it is checked against its network once, here.
 */
export async function loadCheckpoint(request: CheckpointRequest): Promise<LoadedCheckpoint> {
  try {
    return await load(request);
  } catch (error) {
    // Errors that already name their file or URL pass as they are; the others get the checkpoint's.
    if (
      !(error instanceof SEError) ||
      error instanceof InputFileError ||
      error instanceof SEDownloadError
    )
      throw error;
    throw new CheckpointError(request.source ?? 'seeded', error);
  }
}

async function load(request: CheckpointRequest): Promise<LoadedCheckpoint> {
  const started = performance.now();
  let loaded: Omit<LoadedCheckpoint, 'seconds' | 'seeded'>;
  if (request.source === undefined) {
    const config = seededConfig();
    loaded = {
      network: buildNetwork(config.architecture as string, {
        numClasses: config.num_classes as number,
      }),
      weights: seededCheckpoint(),
      config,
      source: `seeded SE-ResNet-50 (se-core's seededStateDict, seed ${SEEDED_SEED}, made in memory)`,
    };
  } else if (isUrl(request.source)) {
    const { network, weights, config } = await fetchPretrained(request.source, {
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    });
    loaded = { network, weights, config, source: request.source };
  } else {
    loaded = await fromDisk({ ...request, source: request.source });
  }
  checkFits(loaded.network, loaded.weights);
  return {
    ...loaded,
    seeded: isSeededConfig(loaded.config),
    seconds: (performance.now() - started) / 1000,
  };
}
