import {
  canonicalSpecJSON,
  decodeSEBundle,
  decodeSEWeights,
  type EncodeOptions,
  encodeSEWeights,
  parseSESpec,
  type SEBlock,
  SEError,
  type SESpec,
  SESpecError,
  specsEqual,
  validateSEWeights,
} from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import type { SqueezeExcite } from '../layer/squeeze-excite.js';
import { transpose2d } from './layout.js';

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

function blockFrom(source: Uint8Array | SEBlock, options: LoadSEWeightsOptions): SEBlock {
  if (source instanceof Uint8Array) {
    if (options.prefix === undefined) return decodeSEWeights(source);
    const bundle = decodeSEBundle(source);
    const block = bundle.get(options.prefix);
    if (!block) {
      throw new SEError(
        'options.prefix',
        `no block "${options.prefix}" in this file (blocks: ${[...bundle.keys()].map((k) => `"${k}"`).join(', ')})`,
      );
    }
    return block;
  }
  const spec = parseSESpec(source?.spec, 'block.spec');
  validateSEWeights(spec, source.weights, 'block.weights');
  return { spec, weights: source.weights };
}

/**
 * Loads se-core weights (a safetensors file from `encodeSEWeights` / `encodeSEBundle`, or a
 * decoded `{ spec, weights }`) into a SqueezeExcite layer, transposing the canonical [out, in]
 * weights into the layer's [in, out] kernels. The file's spec must equal the layer's (an
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
  source: Uint8Array | SEBlock,
  options: LoadSEWeightsOptions = {},
): void {
  const block = blockFrom(source, options);
  const { channels: c, reducedChannels: rd } = block.spec;
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
  const { weights } = block;
  const byName: Record<string, { values: ArrayLike<number>; shape: number[] }> = {
    'fc1/kernel': { values: transpose2d(weights.fc1Weight, rd, c), shape: [c, rd] },
    'fc2/kernel': { values: transpose2d(weights.fc2Weight, c, rd), shape: [rd, c] },
    ...(weights.fc1Bias && weights.fc2Bias
      ? {
          'fc1/bias': { values: weights.fc1Bias, shape: [rd] },
          'fc2/bias': { values: weights.fc2Bias, shape: [c] },
        }
      : {}),
  };
  tf.tidy(() => {
    // setWeights wants the layer's own order; match by the names build() gave them.
    const tensors = layer.weights.map((variable) => {
      const entry = Object.entries(byName).find(([name]) => variable.originalName.endsWith(name));
      if (!entry)
        throw new SEError(`${layer.name}.${variable.originalName}`, 'not a SqueezeExcite weight');
      return tf.tensor(Float32Array.from(entry[1].values), entry[1].shape, 'float32');
    });
    layer.setWeights(tensors);
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
  const { channels: c, reducedChannels: rd } = spec;
  const values: Record<string, Float32Array> = {};
  for (const variable of layer.weights) {
    const name = variable.originalName.split('/').slice(-2).join('/');
    values[name] = (await variable.read().data()) as Float32Array;
  }
  const fc1Kernel = values['fc1/kernel'];
  const fc2Kernel = values['fc2/kernel'];
  if (!fc1Kernel || !fc2Kernel)
    throw new SEError(layer.name, 'has no fc1/kernel and fc2/kernel weights');
  return {
    spec,
    weights: {
      fc1Weight: transpose2d(fc1Kernel, c, rd),
      fc2Weight: transpose2d(fc2Kernel, rd, c),
      ...(spec.bias ? { fc1Bias: values['fc1/bias'], fc2Bias: values['fc2/bias'] } : {}),
    },
  };
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
