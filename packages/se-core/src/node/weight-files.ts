import {
  importSEBlocks,
  type SEImportOptions,
  type SEImportResult,
} from '../import/import-blocks.js';
import {
  decodeSEBundle,
  decodeSEWeights,
  type EncodeOptions,
  encodeSEBundle,
  encodeSEWeights,
  type SEBundle,
} from '../weights/codec.js';
import type { SEBlock } from '../weights/types.js';
import { writeFileAtomic } from './atomic-write.js';
import { type ReadFileOptions, readBytes } from './read-file.js';

// The CLI commands import the reader from here.
export { readBytes };

/**
 * Reads a single-block SE weight file (see {@link decodeSEWeights}) with
 * {@link readBytes}: a regular file of at most `options.maxBytes`.
 *
 * @example
 * ```ts
 * const { spec, weights } = await readSEWeightsFile('se.safetensors');
 * ```
 */
export async function readSEWeightsFile(
  path: string | URL,
  options: ReadFileOptions = {},
): Promise<SEBlock> {
  return decodeSEWeights(await readBytes(path, options));
}

/**
 * Validates and encodes `block`, then writes it atomically: when validation
 * fails, no file is created or changed.
 *
 * @example
 * ```ts
 * await writeSEWeightsFile('se.safetensors', { spec, weights }, { dtype: 'F32' });
 * ```
 */
export async function writeSEWeightsFile(
  path: string | URL,
  block: SEBlock,
  options: EncodeOptions = {},
): Promise<void> {
  await writeFileAtomic(path, encodeSEWeights(block, options));
}

/**
 * Reads a bundle file (many blocks by prefix); a single-block file reads as a
 * bundle whose only prefix is "".
 *
 * @example
 * ```ts
 * for (const [prefix, block] of await readSEBundleFile('senet.safetensors')) console.log(prefix, block.spec);
 * ```
 */
export async function readSEBundleFile(
  path: string | URL,
  options: ReadFileOptions = {},
): Promise<Map<string, SEBlock>> {
  return decodeSEBundle(await readBytes(path, options));
}

/**
 * Validates and writes blocks atomically as a bundle (see encodeSEBundle).
 *
 * @example
 * ```ts
 * const { blocks } = await importSEBlocksFromFile('model.safetensors', { preset: 'timm-seresnet' });
 * await writeSEBundleFile('se-blocks.safetensors', blocks);
 * ```
 */
export async function writeSEBundleFile(
  path: string | URL,
  blocks: SEBundle,
  options: EncodeOptions = {},
): Promise<void> {
  await writeFileAtomic(path, encodeSEBundle(blocks, options));
}

/**
 * {@link importSEBlocks} on a safetensors file (a PyTorch state_dict or Keras
 * weights), read with {@link readBytes} (`options.maxBytes` bounds its size).
 *
 * @example
 * ```ts
 * const { blocks, report } = await importSEBlocksFromFile('senet154.safetensors', { preset: 'cadene-senet' });
 * ```
 */
export async function importSEBlocksFromFile(
  path: string | URL,
  options: SEImportOptions & ReadFileOptions = {},
): Promise<SEImportResult> {
  const { maxBytes, ...importOptions } = options;
  return importSEBlocks(
    await readBytes(path, maxBytes === undefined ? {} : { maxBytes }),
    importOptions,
  );
}
