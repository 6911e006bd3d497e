import { readFile } from 'node:fs/promises';
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
import { pathOf, writeFileAtomic } from './atomic-write.js';

/**
 * A file's bytes as a Uint8Array view of Node's buffer (no copy).
 *
 * @example
 * ```ts
 * const { tensors } = decodeSafetensors(await readBytes('model.safetensors'));
 * ```
 */
export async function readBytes(path: string | URL): Promise<Uint8Array> {
  const buffer = await readFile(pathOf(path));
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * Reads a single-block SE weight file (see {@link decodeSEWeights}).
 *
 * @example
 * ```ts
 * const { spec, weights } = await readSEWeightsFile('se.safetensors');
 * ```
 */
export async function readSEWeightsFile(path: string | URL): Promise<SEBlock> {
  return decodeSEWeights(await readBytes(path));
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
export async function readSEBundleFile(path: string | URL): Promise<Map<string, SEBlock>> {
  return decodeSEBundle(await readBytes(path));
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
 * {@link importSEBlocks} on a safetensors file (a PyTorch state_dict or Keras weights).
 *
 * @example
 * ```ts
 * const { blocks, report } = await importSEBlocksFromFile('senet154.safetensors', { preset: 'cadene-senet' });
 * ```
 */
export async function importSEBlocksFromFile(
  path: string | URL,
  options: SEImportOptions = {},
): Promise<SEImportResult> {
  return importSEBlocks(await readBytes(path), options);
}
