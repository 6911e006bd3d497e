import { SEImportError } from '../errors/index.js';
import type { SESpec } from '../spec/types.js';
import { parseSESpec } from '../spec/validate.js';
import type { SEBundle } from '../weights/codec.js';
import { type FloatArray, type FloatDType, WRITABLE_DTYPES } from '../weights/dtypes.js';
import { encodeSafetensors, type TensorToWrite } from '../weights/safetensors.js';
import type { SEBlock } from '../weights/types.js';
import { validateSEWeights } from '../weights/validate.js';
import { EXPORT_METADATA_KEY, formatExportMetadata } from './behaviour.js';
import {
  conventionTensorName,
  type NamingConvention,
  type NamingConventionName,
  resolveNamingConvention,
} from './conventions.js';
import { fromCanonicalWeight, layoutShape } from './layouts.js';

/** A tensor as another framework names and lays it out. */
export interface ExportedTensor {
  readonly shape: readonly number[];
  readonly values: FloatArray;
}

function entriesOf(blocks: SEBundle | Readonly<Record<string, SEBlock>>): [string, SEBlock][] {
  const entries = blocks instanceof Map ? [...blocks.entries()] : Object.entries(blocks);
  if (entries.length === 0) throw new SEImportError('blocks', 'at least one block', blocks, 'none');
  return entries;
}

/**
 * Names and lays out SE blocks the way `convention` does: the inverse of
 * {@link importSEBlocks} (a block's prefix becomes its module path). Each
 * block is validated first; biases are written when `spec.bias` is true.
 *
 * @example
 * ```ts
 * const tensors = exportSEBlocks(new Map([['block2a', block]]), 'keras-se-reduce-expand');
 * tensors.get('block2a_se_reduce/kernel')?.shape; // [1, 1, C, reducedChannels]
 * ```
 */
export function exportSEBlocks(
  blocks: SEBundle | Readonly<Record<string, SEBlock>>,
  conventionInput: NamingConventionName | NamingConvention,
): Map<string, ExportedTensor> {
  const convention = resolveNamingConvention(conventionInput, 'convention');
  const layout = convention.layouts[0];
  if (layout === undefined) {
    throw new SEImportError('convention.layouts', 'at least one layout', convention.layouts);
  }
  const out = new Map<string, ExportedTensor>();
  const put = (prefix: string, name: string, tensor: ExportedTensor) => {
    const full = conventionTensorName(convention, prefix, name);
    if (out.has(full)) {
      throw new SEImportError(
        `blocks["${prefix}"]`,
        'tensor names no other block writes',
        full,
        `tensor ${full}, which another block already wrote`,
      );
    }
    out.set(full, tensor);
  };
  for (const [prefix, block] of entriesOf(blocks)) {
    if (typeof prefix !== 'string') throw new SEImportError('blocks', 'string prefixes', prefix);
    const spec = parseSESpec(block?.spec, `blocks["${prefix}"].spec`);
    const { weights } = block;
    validateSEWeights(spec, weights, `blocks["${prefix}"].weights`);
    const { channels: c, reducedChannels: rd } = spec;
    put(prefix, convention.fc1Weight, {
      shape: layoutShape(layout, rd, c),
      values: fromCanonicalWeight(weights.fc1Weight, layout, rd, c),
    });
    put(prefix, convention.fc2Weight, {
      shape: layoutShape(layout, c, rd),
      values: fromCanonicalWeight(weights.fc2Weight, layout, c, rd),
    });
    if (spec.bias) {
      put(prefix, convention.fc1Bias, {
        shape: [rd],
        values: (weights.fc1Bias as FloatArray).slice(),
      });
      put(prefix, convention.fc2Bias, {
        shape: [c],
        values: (weights.fc2Bias as FloatArray).slice(),
      });
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
 * records the convention and each block's activation, gate, squeeze and gain,
 * so {@link importSEBlocks} reads the file back without a preset.
 *
 * @example
 * ```ts
 * const bytes = exportSEBlocksToSafetensors(blocks, 'fc1-fc2');
 * importSEBlocks(bytes).blocks; // the same blocks
 * ```
 */
export function exportSEBlocksToSafetensors(
  blocks: SEBundle | Readonly<Record<string, SEBlock>>,
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
