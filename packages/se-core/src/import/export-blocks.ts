import { SEImportError } from '../errors/index.js';
import { kindOfSpec } from '../excitation/registry.js';
import type { SESpec } from '../spec/types.js';
import { parseSESpec } from '../spec/validate.js';
import type { FloatDType } from '../weights/dtypes.js';
import { WRITABLE_DTYPES } from '../weights/dtypes.js';
import { encodeSafetensors, type TensorToWrite } from '../weights/safetensors.js';
import type { SEBlockInput } from '../weights/types.js';
import { validateSEWeights } from '../weights/validate.js';
import { EXPORT_METADATA_KEY, formatExportMetadata } from './behaviour.js';
import {
  conventionTensorName,
  type NamingConvention,
  type NamingConventionName,
  resolveNamingConvention,
} from './conventions.js';
import type { TensorLike } from './tensor-map.js';

/** A tensor as another framework names and lays it out. */
export type ExportedTensor = TensorLike;

/** Blocks by module prefix, as a Map or a plain object (specs in any accepted form). */
export type SEBlocksInput =
  | ReadonlyMap<string, SEBlockInput>
  | Readonly<Record<string, SEBlockInput>>;

function entriesOf(blocks: SEBlocksInput): [string, SEBlockInput][] {
  const entries = blocks instanceof Map ? [...blocks.entries()] : Object.entries(blocks);
  if (entries.length === 0) throw new SEImportError('blocks', 'at least one block', blocks, 'none');
  return entries;
}

/**
 * Names and lays out SE blocks the way `convention` does: the inverse of
 * {@link importSEBlocks} (a block's prefix becomes its module path). Each
 * block is validated first and must be of the convention's excitation kind;
 * optional weights (biases) are written when the spec has them.
 *
 * @example
 * ```ts
 * const tensors = exportSEBlocks(new Map([['block2a', block]]), 'keras-se-reduce-expand');
 * tensors.get('block2a_se_reduce/kernel')?.shape; // [1, 1, C, reducedChannels]
 * ```
 */
export function exportSEBlocks(
  blocks: SEBlocksInput,
  conventionInput: NamingConventionName | NamingConvention,
): Map<string, ExportedTensor> {
  const convention = resolveNamingConvention(conventionInput, 'convention');
  const out = new Map<string, ExportedTensor>();
  for (const [prefix, block] of entriesOf(blocks)) {
    if (typeof prefix !== 'string') throw new SEImportError('blocks', 'string prefixes', prefix);
    const spec = parseSESpec(block?.spec, `blocks["${prefix}"].spec`);
    validateSEWeights(spec, block.weights, `blocks["${prefix}"].weights`);
    const kind = kindOfSpec(spec);
    if (kind.kind !== convention.kind) {
      throw new SEImportError(
        `blocks["${prefix}"].spec.excitation.kind`,
        `"${convention.kind}", the kind convention ${convention.name} names`,
        kind.kind,
      );
    }
    const written = kind.writeTensors(spec.excitation, block.weights, spec.channels, convention);
    for (const [key, tensor] of Object.entries(written)) {
      const full = conventionTensorName(convention, prefix, convention.tensors[key] as string);
      if (out.has(full)) {
        throw new SEImportError(
          `blocks["${prefix}"]`,
          'tensor names no other block writes',
          full,
          `tensor ${full}, which another block already wrote`,
        );
      }
      out.set(full, tensor);
    }
  }
  return out;
}

export interface ExportFileOptions {
  /** Stored dtype; F32 by default, like state_dicts and Keras weights. */
  readonly dtype?: FloatDType;
}

/**
 * {@link exportSEBlocks} as safetensors bytes. `__metadata__["se.export"]`
 * records the convention and, per block, the spec fields the names cannot
 * tell (gate, squeeze, gain, activation, channels), so {@link importSEBlocks}
 * reads the file back without a preset.
 *
 * @example
 * ```ts
 * const bytes = exportSEBlocksToSafetensors(blocks, 'fc1-fc2');
 * importSEBlocks(bytes).blocks; // the same blocks
 * ```
 */
export function exportSEBlocksToSafetensors(
  blocks: SEBlocksInput,
  conventionInput: NamingConventionName | NamingConvention,
  options: ExportFileOptions = {},
): Uint8Array {
  const dtype = options.dtype ?? 'F32';
  if (!WRITABLE_DTYPES.includes(dtype)) {
    throw new SEImportError('options.dtype', `one of ${WRITABLE_DTYPES.join(', ')}`, dtype);
  }
  const convention = resolveNamingConvention(conventionInput, 'convention');
  const tensors = exportSEBlocks(blocks, convention);
  const specs = new Map<string, SESpec>(
    entriesOf(blocks).map(([prefix, block]) => [prefix, parseSESpec(block.spec)]),
  );
  const toWrite: Record<string, TensorToWrite> = {};
  for (const [name, tensor] of tensors) toWrite[name] = { ...tensor, dtype };
  return encodeSafetensors(toWrite, {
    [EXPORT_METADATA_KEY]: formatExportMetadata(convention.name, specs),
  });
}
