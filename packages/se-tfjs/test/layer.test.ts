import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  accuracyOf,
  defineSESpec,
  pytorchHardSigmoid,
  SESpecError,
  seReference,
  specsEqual,
} from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import {
  model as functionalModel,
  initializers,
  input,
  type LayersModel,
  loadLayersModel,
  type SymbolicTensor,
} from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SE_LAYER_PARAMS, readSEBlock, SqueezeExcite, squeezeExcite } from '../src/index.js';
import { fileIO } from './support/file-io.js';
import { savedArtifacts, smallSEModel } from './support/models.js';
import { useBackend } from './support/node-backends.js';
import { normal, rng } from './support/random.js';

beforeAll(() => useBackend('cpu'));

describe('SqueezeExcite layer', () => {
  it('creates trainable weights with addWeight, in the TF.js dense layout', () => {
    const layer = new SqueezeExcite({ spec: { channels: 32, reducedChannels: 8 } });
    const out = layer.apply(input({ shape: [14, 14, 32] })) as SymbolicTensor;
    expect(out.shape).toEqual([null, 14, 14, 32]);
    expect(
      layer.trainableWeights.map((w) => [w.originalName.split('/').slice(-2).join('/'), w.shape]),
    ).toEqual([
      ['fc1/kernel', [32, 8]],
      ['fc1/bias', [8]],
      ['fc2/kernel', [8, 32]],
      ['fc2/bias', [32]],
    ]);
    expect(layer.countParams()).toBe(32 * 8 + 8 + 8 * 32 + 32);
    expect(
      new SqueezeExcite({
        spec: { channels: 32, reducedChannels: 8, bias: false },
      }).computeOutputShape([null, 7, 7, 32]),
    ).toEqual([null, 7, 7, 32]);
  });

  it("holds each kind's weights under the kind's names, matrices in the [in, out] layout", () => {
    const cases = [
      [
        { kind: 'ese' },
        [
          ['fc/kernel', [32, 32]],
          ['fc/bias', [32]],
        ],
      ],
      [
        { kind: 'cbam', reducedChannels: 4 },
        [
          ['fc1/kernel', [32, 4]],
          ['fc2/kernel', [4, 32]],
        ], // timm ChannelAttn: no biases
      ],
      [{ kind: 'eca' }, [['conv/kernel', [3]]]], // ECA-Net's adaptive size for 32 channels
      [{ kind: 'eca', kernelSize: 7 }, [['conv/kernel', [7]]]],
    ] as const;
    for (const [excitation, weights] of cases) {
      const layer = new SqueezeExcite({ spec: { excitation } });
      layer.apply(input({ shape: [5, 5, 32] }));
      expect(layer.spec.excitation.kind).toBe(excitation.kind);
      expect(
        layer.trainableWeights.map((w) => [w.originalName.split('/').slice(-2).join('/'), w.shape]),
      ).toEqual(weights);
    }
    expect(
      new SqueezeExcite({ spec: { channels: 32, excitation: { kind: 'cbam' } } }).spec.squeeze,
    ).toBe('avg+max');
    expect(
      () =>
        new SqueezeExcite({ spec: { channels: 8, excitation: { kind: 'ese' } }, rule: 'paper' }),
    ).toThrow(/args.rule: expected no rule: an ese excitation has no reducedChannels/);
    expect(
      () =>
        new SqueezeExcite({ spec: { channels: 8, excitation: { kind: 'eca' } }, rule: 'paper' }),
    ).toThrow(/args.rule: expected no rule: an eca excitation has no reducedChannels/);
  });

  it('refuses a layer over MAX_SE_LAYER_PARAMS before allocating anything (model.json from anywhere)', () => {
    // channels 1048576 with reducedChannels 256 is a valid spec, and 537M parameters (2.1 GB).
    const huge = { version: 1, channels: 1048576, reducedChannels: 256 } as const;
    const before = tf.memory().numBytes;
    for (const make of [
      () => new SqueezeExcite({ spec: huge }),
      () => SqueezeExcite.fromConfig(SqueezeExcite, { spec: huge }),
      () =>
        new SqueezeExcite({ spec: { channels: 1048576, excitation: { reducedChannels: 8192 } } }),
      () =>
        new SqueezeExcite({ spec: { excitation: { kind: 'ese' } } }).apply(
          input({ shape: [2, 2, 8193] }),
        ),
    ]) {
      expect(make).toThrow(SESpecError);
      expect(make).toThrow(
        /channels: expected a layer of at most 67108864 parameters \(MAX_SE_LAYER_PARAMS\)/,
      );
    }
    expect(tf.memory().numBytes).toBe(before);
    expect(MAX_SE_LAYER_PARAMS).toBe(2 ** 26);
  });

  it('reads channels from its input and derives reducedChannels from a preset rule', () => {
    const mobile = squeezeExcite({
      rule: 'torchvision-mobilenetv3',
      spec: { gate: pytorchHardSigmoid },
    });
    mobile.apply(input({ shape: [28, 28, 72] }));
    expect(mobile.spec.excitation).toMatchObject({ kind: 'mlp', reducedChannels: 24 });
    expect(mobile.spec.gate).toEqual(pytorchHardSigmoid);
    const timm = squeezeExcite({ rule: { preset: 'timm-se' }, layout: 'NCHW' });
    timm.apply(input({ shape: [64, 7, 7] }));
    expect(timm.spec).toMatchObject({
      channels: 64,
      squeeze: 'avg',
      excitation: { kind: 'mlp', reducedChannels: 8, activation: 'relu', bias: true },
    });
    const paper = squeezeExcite();
    paper.apply(input({ shape: [7, 7, 256] }));
    expect(paper.spec.excitation).toMatchObject({ reducedChannels: 16 });
  });

  it('computes seReference (NHWC and NCHW) with its own weights', async () => {
    for (const layout of ['NHWC', 'NCHW'] as const) {
      const layer = new SqueezeExcite({
        spec: {
          channels: 16,
          reducedChannels: 4,
          activation: 'hardswish',
          gate: pytorchHardSigmoid,
          gain: 2,
        },
        layout,
        biasInitializer: initializers.randomNormal({ seed: 3, stddev: 0.1 }),
      });
      const shape = layout === 'NHWC' ? [2, 5, 3, 16] : [2, 16, 5, 3];
      const values = normal(rng(4), 2 * 5 * 3 * 16);
      const x = tf.tensor(values, shape);
      const y = layer.apply(x) as tf.Tensor;
      const { spec, weights } = await readSEBlock(layer);
      const expected = seReference(spec, weights, values, shape, layout);
      expect(accuracyOf(await y.data(), expected, values).worstUlp).toBeLessThan(6);
      tf.dispose([x, y]);
      layer.dispose();
    }
  });

  it('round-trips getConfig through fromConfig, spec included', () => {
    const layer = new SqueezeExcite({
      spec: {
        channels: 24,
        reducedChannels: 8,
        squeeze: 'avgmax',
        activation: 'gelu',
        gate: pytorchHardSigmoid,
        bias: false,
        gain: 2,
      },
      layout: 'NCHW',
      name: 'my_se',
    });
    const config = layer.getConfig();
    expect(config.spec).toEqual(
      defineSESpec({
        version: 1,
        channels: 24,
        reducedChannels: 8,
        squeeze: 'avgmax',
        activation: 'gelu',
        gate: pytorchHardSigmoid,
        bias: false,
        gain: 2,
      }),
    );
    expect(config.layout).toBe('NCHW');
    const again = SqueezeExcite.fromConfig(SqueezeExcite, config) as SqueezeExcite;
    expect(again.getConfig()).toEqual(config);
    expect(specsEqual(again.spec, layer.spec)).toBe(true);
    // Before build, a layer without channels keeps its rule in the config.
    const unbuilt = new SqueezeExcite({ rule: 'timm-se' }).getConfig();
    expect(unbuilt.rule).toBe('timm-se');
  });
});

describe('save and load', () => {
  let model: LayersModel;
  let x: tf.Tensor;
  let expected: Float32Array;
  let directory: string;

  beforeAll(async () => {
    model = smallSEModel({
      spec: { reducedChannels: 4, gate: pytorchHardSigmoid, gain: 2 },
      biasInitializer: 'ones',
    });
    x = tf.tensor(normal(rng(5), 3 * 8 * 8 * 3), [3, 8, 8, 3]);
    const y = model.predict(x) as tf.Tensor;
    expected = (await y.data()) as Float32Array;
    y.dispose();
    directory = await mkdtemp(join(tmpdir(), 'se-tfjs-'));
  });
  afterAll(async () => {
    x.dispose();
    model.dispose();
    await rm(directory, { recursive: true, force: true });
  });

  async function checkLoaded(loaded: LayersModel) {
    const y = loaded.predict(x) as tf.Tensor;
    expect(Array.from(await y.data())).toEqual(Array.from(expected));
    y.dispose();
    const se = loaded.getLayer('se') as SqueezeExcite;
    expect(se).toBeInstanceOf(SqueezeExcite);
    expect(specsEqual(se.spec, (model.getLayer('se') as SqueezeExcite).spec)).toBe(true);
    expect(se.spec.gate).toEqual({ type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 });
    loaded.dispose();
  }

  it('through the memory IO handler: identical predictions', async () => {
    const artifacts = await savedArtifacts(model);
    expect(JSON.stringify(artifacts.modelTopology)).toContain('"class_name":"SqueezeExcite"');
    await checkLoaded(await loadLayersModel(tf.io.fromMemory(artifacts)));
  });

  it('through a file IO handler (model.json + weights.bin): identical predictions', async () => {
    await model.save(fileIO(directory));
    const json = JSON.parse(await readFile(join(directory, 'model.json'), 'utf8'));
    const seConfig = json.modelTopology.config.layers.find(
      (l: { name: string }) => l.name === 'se',
    );
    expect(seConfig.class_name).toBe('SqueezeExcite');
    expect(seConfig.config.spec).toMatchObject({
      version: 2,
      channels: 16,
      excitation: { kind: 'mlp', reduced_channels: 4 },
      gain: 2,
    });
    await checkLoaded(await loadLayersModel(fileIO(directory)));
  });

  it('loads the version-1 model.json of the previous release (built and unbuilt configs)', async () => {
    const artifacts = await savedArtifacts(model);
    // What 0.0.0 wrote for this layer: the version-1 spec, snake_cased by TF.js; or, for a
    // layer saved before it knew its channels, the spec input and the rule.
    const gate = { type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 };
    const v1Specs = [
      {
        version: 1,
        channels: 16,
        reduced_channels: 4,
        squeeze: 'avg',
        activation: 'relu',
        gate,
        bias: true,
        gain: 2,
      },
      { reduced_channels: 4, gate, gain: 2 },
    ];
    for (const v1 of v1Specs) {
      const topology = JSON.parse(JSON.stringify(artifacts.modelTopology));
      const layer = topology.config.layers.find((l: { name: string }) => l.name === 'se');
      layer.config.spec = v1;
      await checkLoaded(
        await loadLayersModel(tf.io.fromMemory({ ...artifacts, modelTopology: topology })),
      );
    }
  });

  it('keeps NCHW layers NCHW (model.json stores string values snake_cased)', async () => {
    const inp = input({ shape: [16, 4, 4] });
    const out = new SqueezeExcite({
      spec: { reducedChannels: 4 },
      layout: 'NCHW',
      name: 'se',
    }).apply(inp) as SymbolicTensor;
    const nchw = functionalModel({ inputs: inp, outputs: out });
    const loaded = await loadLayersModel(tf.io.fromMemory(await savedArtifacts(nchw)));
    expect((loaded.getLayer('se') as SqueezeExcite).layout).toBe('NCHW');
    const probe = tf.ones([1, 16, 4, 4]);
    const [a, b] = [nchw.predict(probe) as tf.Tensor, loaded.predict(probe) as tf.Tensor];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([probe, a, b]);
    nchw.dispose();
    loaded.dispose();
  });
});
