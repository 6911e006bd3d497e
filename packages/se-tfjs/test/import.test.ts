import { readFileSync } from 'node:fs';
import {
  accuracyOf,
  caseTolerance,
  decodeSafetensors,
  encodeSEBundle,
  type GoldenCase,
  importSEBlocks,
  type MlpExcitation,
  type SEImportOptions,
  type SqueezeMode,
} from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSEWeights, SqueezeExcite } from '../src/index.js';
import { NODE_BACKENDS, useBackend } from './support/node-backends.js';

// se-core's importer fixtures: real module weights (torchvision MobileNetV3 / EfficientNet,
// timm, Cadene, Caffe, moskomule, Keras names; timm ESE, HGNet ESE and CBAM for the other
// kinds) and y = block(x) computed by PyTorch in float64. Imported with importSEBlocks, loaded
// into SqueezeExcite layers (NHWC, the TF.js convention), they must give PyTorch's numbers.
const FIXTURE_DIRS = ['import', 'kinds'].map(
  (dir) => new URL(`../../se-core/test/fixtures/${dir}/`, import.meta.url),
);

interface FixtureCase {
  readonly name: string;
  readonly file: string;
  readonly expected: string;
  readonly preset: NonNullable<SEImportOptions['preset']>;
  readonly squeeze?: SqueezeMode;
  readonly blocks: Readonly<Record<string, unknown>>;
}

const index: { cases: (FixtureCase & { readonly dir: URL })[] } = {
  cases: FIXTURE_DIRS.flatMap((dir) =>
    (JSON.parse(readFileSync(new URL('index.json', dir), 'utf8')).cases as FixtureCase[]).map(
      (c) => ({ ...c, dir }),
    ),
  ),
};
const bytes = (file: string, dir = FIXTURE_DIRS[0] as URL) =>
  new Uint8Array(readFileSync(new URL(file, dir)));

async function runNHWC(
  layer: SqueezeExcite,
  x: Float32Array,
  [n, c, h, w]: readonly number[],
): Promise<Float32Array> {
  const out = tf.tidy(() => {
    const input = tf.transpose(
      tf.tensor4d(x, [n, c, h, w] as [number, number, number, number]),
      [0, 2, 3, 1],
    );
    return tf.transpose(layer.apply(input) as tf.Tensor, [0, 3, 1, 2]);
  });
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

describe.each(NODE_BACKENDS)('imported PyTorch / Keras weights on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(index.cases.map((c) => [c.name, c] as const))(
    '%s: SE outputs equal PyTorch float64',
    async (_name, fixture) => {
      const { blocks } = importSEBlocks(bytes(fixture.file, fixture.dir), {
        preset: fixture.preset,
        ...(fixture.squeeze ? { squeeze: fixture.squeeze } : {}),
      });
      expect([...blocks.keys()].sort()).toEqual(Object.keys(fixture.blocks).sort());
      const { tensors } = decodeSafetensors(bytes(fixture.expected, fixture.dir));
      const before = tf.memory().numTensors;
      let worst = 0;
      for (const [prefix, block] of blocks) {
        const x = tensors.get(`x:${prefix}`);
        const y = tensors.get(`y:${prefix}`);
        if (!x || !y) throw new Error(`${fixture.expected} lacks x/y for ${prefix}`);
        const layer = new SqueezeExcite({ spec: block.spec });
        loadSEWeights(layer, block);
        const actual = await runNHWC(layer, x.values as Float32Array, x.shape);
        layer.dispose();
        const asCase: GoldenCase = {
          info: { name: `${fixture.name}/${prefix}` },
          block,
          shape: x.shape as [number, number, number, number],
          x: x.values as Float32Array,
          y: y.values,
        };
        const { ulps: tolerance } = caseTolerance(asCase);
        const report = accuracyOf(actual, y.values, x.values);
        worst = Math.max(worst, report.worstUlp);
        expect(report.worstUlp, `${prefix}: ${JSON.stringify(report)}`).toBeLessThanOrEqual(
          tolerance,
        );
      }
      console.log(
        `[se-tfjs import] ${backend} ${fixture.name}: ${blocks.size} blocks, worst ${worst.toFixed(2)} ULPs vs PyTorch float64`,
      );
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('works from a bundle file too (encodeSEBundle of the imported blocks, loaded by prefix)', async () => {
    const fixture = index.cases.find((c) => c.name === 'torchvision-mobilenetv3');
    if (!fixture) throw new Error('fixture torchvision-mobilenetv3 is missing');
    const { blocks } = importSEBlocks(bytes(fixture.file), { preset: fixture.preset });
    const bundle = encodeSEBundle(blocks);
    const { tensors } = decodeSafetensors(bytes(fixture.expected));
    for (const [prefix, block] of blocks) {
      const layer = new SqueezeExcite({
        spec: {
          gate: block.spec.gate,
          excitation: { activation: (block.spec.excitation as MlpExcitation).activation },
        },
        rule: 'torchvision-mobilenetv3',
      });
      loadSEWeights(layer, bundle, { prefix });
      const x = tensors.get(`x:${prefix}`);
      const y = tensors.get(`y:${prefix}`);
      if (!x || !y) throw new Error(`no x/y for ${prefix}`);
      const actual = await runNHWC(layer, x.values as Float32Array, x.shape);
      expect(accuracyOf(actual, y.values, x.values).worstUlp).toBeLessThan(8);
      layer.dispose();
    }
  });
});
