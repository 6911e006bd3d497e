import {
  canonicalSpecJSON,
  decodeSafetensors,
  decodeSEBundle,
  decodeSEWeights,
  type EncodeOptions,
  encodeSEWeights,
  METADATA,
  parseSESpec,
  type SEBlock,
  type SEBlockInput,
  SEError,
  type SESpec,
  SESpecError,
  specsEqual,
  validateSEWeights,
  type WeightSlot,
} from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable } from '@tensorflow/tfjs-layers';
import { layerSlots } from '../layer/slots.js';
import type { SqueezeExcite } from '../layer/squeeze-excite.js';
import { transpose2d } from '../math/transpose.js';

/** Options of {@link loadSEWeights}. */
export interface LoadSEWeightsOptions {
  /**
   * Read this block of a bundle (`encodeSEBundle`, e.g. an imported timm state_dict), such as
   * `'blocks.1.0.se'`. Leave out for a single-block file.
   */
  readonly prefix?: string;
}

function specDifferences(expected: SESpec, received: SESpec): string {
  const a = canonicalSpecJSON(expected) as unknown as Record<string, unknown>;
  const b = canonicalSpecJSON(received) as unknown as Record<string, unknown>;
  return Object.keys(a)
    .filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]))
    .map((key) => `${key} ${JSON.stringify(b[key])} ≠ ${JSON.stringify(a[key])}`)
    .join(', ');
}

function prefixList(keys: Iterable<string>): string {
  return [...keys].map((k) => `"${k}"`).join(', ');
}

function blockFrom(source: Uint8Array | SEBlockInput, options: LoadSEWeightsOptions): SEBlock {
  if (source instanceof Uint8Array) {
    if (options.prefix === undefined) {
      // A bundle has no single spec: name its blocks rather than fail on the missing spec.
      const { metadata } = decodeSafetensors(source);
      if (metadata[METADATA.spec] === undefined && metadata[METADATA.blocks] !== undefined) {
        throw new SEError(
          'options.prefix',
          `this file is a bundle of several blocks: pass { prefix } with one of ${prefixList(decodeSEBundle(source).keys())}`,
        );
      }
      return decodeSEWeights(source);
    }
    const bundle = decodeSEBundle(source);
    const block = bundle.get(options.prefix);
    if (!block) {
      throw new SEError(
        'options.prefix',
        `no block "${options.prefix}" in this file (blocks: ${prefixList(bundle.keys())})`,
      );
    }
    return block;
  }
  const spec = parseSESpec(source?.spec, 'block.spec');
  validateSEWeights(spec, source.weights, 'block.weights');
  return { spec, weights: source.weights };
}

function variableOf(layer: SqueezeExcite, key: string): LayerVariable {
  const found = layer.seWeights[key];
  if (!found) throw new SEError(`${layer.name}`, `has no weight ${key}`);
  return found;
}

/** A slot's values in the layer's layout (matrices with a kernel form transposed to [in, out]). */
function toLayer(slot: WeightSlot, values: ArrayLike<number>, transposed: boolean): Float32Array {
  const data = Float32Array.from(values);
  const [rows, cols] = slot.shape as [number, number];
  return transposed ? transpose2d(data, rows, cols) : data;
}

/**
 * Loads se-core weights (a safetensors file from `encodeSEWeights` / `encodeSEBundle`, or a
 * decoded `{ spec, weights }`) into a SqueezeExcite layer, transposing canonical [out, in]
 * matrices into the layer's [in, out] kernels. The file's spec must equal the layer's (an
 * SESpecError lists the fields that differ). An unbuilt layer is built from the file's spec.
 *
 * @example
 * ```ts
 * const layer = new SqueezeExcite({ spec: { channels: 72, reducedChannels: 24,
 *   gate: { type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 } } });
 * loadSEWeights(layer, bytes);                                  // single-block file
 * loadSEWeights(layer, bundleBytes, { prefix: 'features.4.block.2' });
 * ```
 */
export function loadSEWeights(
  layer: SqueezeExcite,
  source: Uint8Array | SEBlockInput,
  options: LoadSEWeightsOptions = {},
): void {
  const block = blockFrom(source, options);
  const c = block.spec.channels;
  // Compare before building, so a mismatch allocates nothing.
  const layerSpec = layer.specFor(c);
  if (!specsEqual(layerSpec, block.spec)) {
    throw new SESpecError(
      `${layer.name}: weights spec`,
      `the layer's spec (differences: ${specDifferences(layerSpec, block.spec)})`,
      canonicalSpecJSON(block.spec),
    );
  }
  if (!layer.built) {
    layer.build(layer.layout === 'NHWC' ? [null, null, null, c] : [null, c, null, null]);
  }
  const slots = layerSlots(layerSpec);
  tf.tidy(() => {
    for (const { slot, key, transposed } of slots) {
      const variable = variableOf(layer, key);
      const values = toLayer(slot, block.weights[slot.key] as ArrayLike<number>, transposed);
      variable.write(tf.tensor(values, variable.shape as number[], 'float32'));
    }
  });
}

/**
 * Reads a built SqueezeExcite layer's spec and weights as a se-core block in the canonical
 * [out, in] layout (float32 values).
 *
 * @example
 * ```ts
 * const { spec, weights } = await readSEBlock(layer);
 * const y64 = seReference(spec, weights, x, [1, 7, 7, spec.channels], 'NHWC');
 * ```
 */
export async function readSEBlock(layer: SqueezeExcite): Promise<SEBlock> {
  if (!layer.built)
    throw new SEError(layer.name, 'not built yet: apply it to an input, or loadSEWeights first');
  const { spec } = layer;
  const weights: Record<string, Float32Array> = {};
  for (const { slot, key, transposed } of layerSlots(spec)) {
    const values = (await variableOf(layer, key).read().data()) as Float32Array;
    const [rows, cols] = slot.shape as [number, number];
    weights[slot.key] = transposed ? transpose2d(values, cols, rows) : values;
  }
  return { spec, weights };
}

/**
 * Writes a SqueezeExcite layer's weights as a se-core safetensors file (canonical layout, F32
 * unless `options.dtype` says otherwise), readable by `decodeSEWeights` and PyTorch tooling.
 *
 * @example
 * ```ts
 * const bytes = await exportSEWeights(model.getLayer('se1') as SqueezeExcite);
 * await fs.writeFile('se1.safetensors', bytes);
 * ```
 */
export async function exportSEWeights(
  layer: SqueezeExcite,
  options: EncodeOptions = {},
): Promise<Uint8Array> {
  return encodeSEWeights(await readSEBlock(layer), options);
}
