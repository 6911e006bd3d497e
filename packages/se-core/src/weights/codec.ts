import { describeValue, SEWeightFormatError } from '../errors/index.js';
import { parseSESpec } from '../spec/validate.js';
import {
  blockTensors,
  readBlockWeights,
  rejectUnclaimed,
  specFromMetadata,
  specToMetadata,
} from './block-tensors.js';
import { parseMetadataJSON } from './bounded-json.js';
import { type FloatDType, WRITABLE_DTYPES } from './dtypes.js';
import { decodeSafetensors, encodeSafetensors, type TensorToWrite } from './safetensors.js';
import { FORMAT_NAME, METADATA, type SEBlock, type SEBlockInput } from './types.js';

export interface EncodeOptions {
  /** Stored dtype; F32 by default. F16 halves the size (values are rounded). */
  readonly dtype?: FloatDType;
}

function writableDType(options: EncodeOptions): FloatDType {
  const dtype = options.dtype ?? 'F32';
  if (!WRITABLE_DTYPES.includes(dtype)) {
    throw new SEWeightFormatError(
      'options.dtype',
      `expected one of ${WRITABLE_DTYPES.join(', ')}, received ${describeValue(dtype)}`,
    );
  }
  return dtype;
}

/**
 * Encodes one SE block as a safetensors file: the tensors of its excitation
 * kind (`fc1.weight`, `fc2.weight` and biases for mlp; see `weightSlots`), the
 * normalised spec in `__metadata__["se.spec"]`.
 *
 * @example
 * ```ts
 * const bytes = encodeSEWeights({ spec, weights });
 * const { spec: same, weights: again } = decodeSEWeights(bytes);
 * ```
 */
export function encodeSEWeights(block: SEBlockInput, options: EncodeOptions = {}): Uint8Array {
  const spec = parseSESpec(block.spec);
  return encodeSafetensors(
    blockTensors({ spec, weights: block.weights }, '', writableDType(options)),
    {
      [METADATA.format]: FORMAT_NAME,
      [METADATA.spec]: specToMetadata(spec),
    },
  );
}

/** Decodes a single-block file written by {@link encodeSEWeights} (or any tool following the format). */
export function decodeSEWeights(bytes: Uint8Array): SEBlock {
  const { tensors, metadata } = decodeSafetensors(bytes);
  if (metadata[METADATA.spec] === undefined && metadata[METADATA.blocks] !== undefined) {
    throw new SEWeightFormatError(
      `__metadata__.${METADATA.spec}`,
      'missing: this is a bundle of many blocks, read it with decodeSEBundle',
    );
  }
  const spec = specFromMetadata(metadata[METADATA.spec], `__metadata__.${METADATA.spec}`);
  const consumed = new Set<string>();
  const weights = readBlockWeights(tensors, '', spec, consumed);
  rejectUnclaimed(tensors, consumed);
  return { spec, weights };
}

/** Many blocks in one file, keyed by module prefix (e.g. `layer1.0.se`). */
export type SEBundle = ReadonlyMap<string, SEBlock>;

const PREFIX_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_./:-]*$/;

/**
 * Encodes many SE blocks in one file: tensors under their prefix
 * (`layer1.0.se.fc1.weight`) and `__metadata__["se.blocks"]`, a JSON map prefix → spec.
 */
export function encodeSEBundle(
  blocks: ReadonlyMap<string, SEBlockInput> | Readonly<Record<string, SEBlockInput>>,
  options: EncodeOptions = {},
): Uint8Array {
  const entries = blocks instanceof Map ? [...blocks.entries()] : Object.entries(blocks);
  if (entries.length === 0) {
    throw new SEWeightFormatError('blocks', 'expected at least one block, received none');
  }
  // A lone bare module (prefix "") is written as a plain single-block file, which
  // decodeSEBundle reads back under "" again.
  const [only] = entries;
  if (entries.length === 1 && only?.[0] === '') return encodeSEWeights(only[1], options);
  const dtype = writableDType(options);
  const tensors: Record<string, TensorToWrite> = {};
  const specs: Record<string, unknown> = {};
  for (const [prefix, block] of entries) {
    // "" is the bare module (what decodeSEBundle returns for a single-block file).
    if (prefix !== '' && (!PREFIX_PATTERN.test(prefix) || prefix.endsWith('.'))) {
      throw new SEWeightFormatError(
        `blocks["${prefix}"]`,
        'expected a module path such as "layer1.0.se" (letters, digits, _ . / : -)',
      );
    }
    const spec = parseSESpec(block.spec, `blocks["${prefix}"].spec`);
    Object.assign(tensors, blockTensors({ spec, weights: block.weights }, prefix, dtype));
    specs[prefix] = JSON.parse(specToMetadata(spec));
  }
  return encodeSafetensors(tensors, {
    [METADATA.format]: FORMAT_NAME,
    [METADATA.blocks]: JSON.stringify(specs),
  });
}

/** Decodes a bundle written by {@link encodeSEBundle}; a single-block file reads as a bundle with prefix "". */
export function decodeSEBundle(bytes: Uint8Array): Map<string, SEBlock> {
  const { tensors, metadata } = decodeSafetensors(bytes);
  const consumed = new Set<string>();
  const out = new Map<string, SEBlock>();
  const blocksText = metadata[METADATA.blocks];
  if (blocksText === undefined) {
    const spec = specFromMetadata(metadata[METADATA.spec], `__metadata__.${METADATA.blocks}`);
    out.set('', { spec, weights: readBlockWeights(tensors, '', spec, consumed) });
  } else {
    let specs: unknown;
    try {
      specs = parseMetadataJSON(blocksText);
    } catch (error) {
      throw new SEWeightFormatError(
        `__metadata__.${METADATA.blocks}`,
        `expected JSON: ${(error as Error).message.slice(0, 120)}`,
      );
    }
    if (
      typeof specs !== 'object' ||
      specs === null ||
      Array.isArray(specs) ||
      Object.keys(specs).length === 0
    ) {
      throw new SEWeightFormatError(
        `__metadata__.${METADATA.blocks}`,
        `expected a non-empty map prefix → spec, received ${describeValue(specs)}`,
      );
    }
    for (const [prefix, specJSON] of Object.entries(specs as Record<string, unknown>)) {
      const spec = specFromMetadata(
        JSON.stringify(specJSON),
        `__metadata__.${METADATA.blocks}["${prefix}"]`,
      );
      out.set(prefix, { spec, weights: readBlockWeights(tensors, prefix, spec, consumed) });
    }
  }
  rejectUnclaimed(tensors, consumed);
  return out;
}
