import {
  accuracyOf,
  decodeSEWeights,
  defineSESpec,
  encodeSEBundle,
  encodeSEWeights,
  type SEBlock,
  SEError,
  seReference,
  specsEqual,
} from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { input } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportSEWeights, loadSEWeights, readSEBlock, SqueezeExcite } from '../src/index.js';
import { randomBlock } from './support/blocks.js';
import { useBackend } from './support/node-backends.js';
import { normal, rng } from './support/random.js';

beforeAll(() => useBackend('cpu'));

// channels = reducedChannels, so a missing or doubled transpose keeps every shape valid and
// only the numbers can tell.
const square = defineSESpec({
  version: 1,
  channels: 8,
  reducedChannels: 8,
  squeeze: 'avg',
  activation: 'silu',
  gate: { type: 'sigmoid' },
  bias: true,
});

async function layerMatchesReference(layer: SqueezeExcite, block: SEBlock): Promise<number> {
  const c = block.spec.channels;
  const shape = layer.layout === 'NHWC' ? [2, 3, 4, c] : [2, c, 3, 4];
  const values = normal(rng(21), 2 * 3 * 4 * c);
  const x = tf.tensor(values, shape);
  const y = layer.apply(x) as tf.Tensor;
  const report = accuracyOf(
    await y.data(),
    seReference(block.spec, block.weights, values, shape, layer.layout),
    values,
  );
  tf.dispose([x, y]);
  return report.worstUlp;
}

describe('loadSEWeights / exportSEWeights', () => {
  it('loads a se-core file with the [out, in] → [in, out] conversion', async () => {
    const block = randomBlock(square, 31);
    for (const layout of ['NHWC', 'NCHW'] as const) {
      const layer = new SqueezeExcite({
        spec: { channels: 8, reducedChannels: 8, activation: 'silu' },
        layout,
      });
      const before = tf.memory().numTensors;
      loadSEWeights(layer, encodeSEWeights(block));
      expect(tf.memory().numTensors).toBe(before + 4); // the four weights, nothing else
      expect(await layerMatchesReference(layer, block)).toBeLessThan(6);
      layer.dispose();
    }
  });

  it('builds an unbuilt layer from the file (channels taken from the spec)', async () => {
    const spec = defineSESpec({
      version: 1,
      channels: 12,
      reducedChannels: 3,
      squeeze: 'avg',
      activation: 'silu',
      gate: { type: 'sigmoid' },
      bias: false,
    });
    const block = randomBlock(spec, 32);
    const layer = new SqueezeExcite({
      spec: { activation: 'silu', bias: false },
      rule: { preset: 'paper', ratio: 4 },
    });
    loadSEWeights(layer, block);
    expect(layer.built).toBe(true);
    expect(layer.weights.map((w) => w.shape)).toEqual([
      [12, 3],
      [3, 12],
    ]);
    expect(await layerMatchesReference(layer, block)).toBeLessThan(6);
    layer.dispose();
  });

  it('reads one block of a bundle by prefix, and names the blocks when the prefix is wrong', async () => {
    const a = randomBlock(square, 33);
    const b = randomBlock(square, 34);
    const bytes = encodeSEBundle({ 'layer1.0.se': a, 'layer1.1.se': b });
    const layer = new SqueezeExcite({
      spec: { channels: 8, reducedChannels: 8, activation: 'silu' },
    });
    loadSEWeights(layer, bytes, { prefix: 'layer1.1.se' });
    expect(await layerMatchesReference(layer, b)).toBeLessThan(6);
    expect(() => loadSEWeights(layer, bytes, { prefix: 'layer2.0.se' })).toThrow(SEError);
    expect(() => loadSEWeights(layer, bytes, { prefix: 'layer2.0.se' })).toThrow(
      /"layer1.0.se", "layer1.1.se"/,
    );
    // Without a prefix, the error lists the bundle's blocks too.
    expect(() => loadSEWeights(layer, bytes)).toThrow(
      /options.prefix: this file is a bundle of several blocks: pass \{ prefix \} with one of "layer1.0.se", "layer1.1.se"/,
    );
    layer.dispose();
  });

  it('loads, reads and exports every kind, a square matrix transposed exactly once', async () => {
    // ese's fc is C×C: a missing or doubled transpose keeps the shape; only the numbers tell.
    const specs = [
      defineSESpec({ ...square, excitation: { kind: 'ese', bias: true } }),
      defineSESpec({
        version: 2,
        channels: 8,
        excitation: { kind: 'cbam', reducedChannels: 8, activation: 'gelu', bias: true },
        gate: { type: 'sigmoid' },
      }),
      defineSESpec({ ...square, excitation: { kind: 'eca', kernelSize: 5 } }),
    ];
    for (const [i, spec] of specs.entries()) {
      const block = randomBlock(spec, 40 + i);
      const layer = new SqueezeExcite({ spec });
      loadSEWeights(layer, encodeSEWeights(block));
      expect(await layerMatchesReference(layer, block)).toBeLessThan(6);
      const back = decodeSEWeights(await exportSEWeights(layer));
      expect(specsEqual(back.spec, spec)).toBe(true);
      for (const [key, values] of Object.entries(block.weights))
        expect(Array.from(back.weights[key] ?? []), key).toEqual(Array.from(values ?? []));
      layer.dispose();
    }
  });

  it('exports exactly what it loaded (float32 values, canonical layout, same spec)', async () => {
    const block = randomBlock(square, 35);
    const layer = new SqueezeExcite({
      spec: { channels: 8, reducedChannels: 8, activation: 'silu' },
    });
    loadSEWeights(layer, block);
    const bytes = await exportSEWeights(layer);
    const back = decodeSEWeights(bytes);
    expect(specsEqual(back.spec, square)).toBe(true);
    expect(Array.from(back.weights.fc1Weight ?? [])).toEqual(
      Array.from(block.weights.fc1Weight ?? []),
    );
    expect(Array.from(back.weights.fc2Weight ?? [])).toEqual(
      Array.from(block.weights.fc2Weight ?? []),
    );
    expect(Array.from(back.weights.fc2Bias ?? [])).toEqual(Array.from(block.weights.fc2Bias ?? []));
    const again = await readSEBlock(layer);
    expect(Array.from(again.weights.fc1Bias ?? [])).toEqual(
      Array.from(block.weights.fc1Bias ?? []),
    );
    layer.dispose();
  });

  it('exports a trained layer so that seReference reproduces it', async () => {
    const layer = new SqueezeExcite({
      spec: { reducedChannels: 4, gate: { type: 'hardsigmoid', alpha: 0.2, beta: 0.5 } },
    });
    layer.apply(input({ shape: [4, 4, 16] }));
    const block = decodeSEWeights(await exportSEWeights(layer, { dtype: 'F64' }));
    expect(await layerMatchesReference(layer, block)).toBeLessThan(6);
  });
});
