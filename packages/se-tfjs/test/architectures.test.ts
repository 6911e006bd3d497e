import { defineSESpec, SEError, SEShapeError } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import {
  model as functionalModel,
  input,
  type LayersModel,
  layers,
  type SymbolicTensor,
  sequential,
} from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  insertSE,
  loadSEWeights,
  readSEBlock,
  type SEPlacement,
  SqueezeExcite,
  seBlock,
  seInception,
  seResNetBasicBlock,
  seResNetBottleneck,
} from '../src/index.js';
import { useBackend } from './support/node-backends.js';
import { normal, rng } from './support/random.js';

beforeAll(() => useBackend('cpu'));

type AnyLayer = LayersModel['layers'][number];
const seLayers = (model: LayersModel) =>
  model.layers.filter((l): l is SqueezeExcite => l instanceof SqueezeExcite);
const inboundNames = (layer: AnyLayer) =>
  layer.inboundNodes[0]?.inboundLayers.map((l) => l.name) ?? [];
const outboundNames = (layer: AnyLayer) =>
  layer.outboundNodes.map((node) => node.outboundLayer.name);

function build(x: SymbolicTensor, outputs: SymbolicTensor): LayersModel {
  return functionalModel({ inputs: x, outputs });
}

describe('seResNetBasicBlock', () => {
  const cases: [SEPlacement, number, number, string[], string[]][] = [
    // placement, filters, strides, SE inputs, SE consumers
    ['standard', 16, 1, ['b_bn2'], ['b_add']],
    ['pre', 16, 1, ['input'], ['b_conv1']],
    ['post', 16, 1, ['b_out'], []],
    ['identity', 16, 1, ['input'], ['b_add']],
    ['identity', 32, 2, ['b_shortcut_bn'], ['b_add']],
    ['standard', 32, 2, ['b_bn2'], ['b_add']],
  ];

  it.each(cases)(
    'places SE (%s, %i filters, stride %i) between %j and %j',
    (placement, filters, strides, from, to) => {
      const x = input({ shape: [8, 8, 16], name: 'input' });
      const y = seResNetBasicBlock(x, {
        filters,
        strides,
        placement,
        name: 'b',
        se: { rule: { preset: 'paper', ratio: 4 } },
      });
      const model = build(x, y);
      expect(model.outputs[0]?.shape).toEqual([null, 8 / strides, 8 / strides, filters]);
      const [se, ...more] = seLayers(model);
      expect(more).toHaveLength(0);
      expect(se?.name).toBe('b_se');
      expect(inboundNames(se as SqueezeExcite)).toEqual(from);
      expect(outboundNames(se as SqueezeExcite)).toEqual(to);
      const channels = placement === 'pre' ? 16 : filters;
      expect(se?.spec).toMatchObject({ channels, excitation: { reducedChannels: channels / 4 } });
      model.dispose();
    },
  );

  it('computes relu(SE(bn2(…)) + x) for the standard placement', async () => {
    const x = input({ shape: [6, 6, 8] });
    const y = seResNetBasicBlock(x, {
      filters: 8,
      name: 'r',
      se: { spec: { gain: 2 }, rule: { preset: 'paper', ratio: 2 } },
    });
    const model = build(x, y);
    const probe = functionalModel({
      inputs: x,
      outputs: [model.getLayer('r_bn2').output as SymbolicTensor, y],
    });
    const data = tf.tensor4d(normal(rng(1), 2 * 6 * 6 * 8), [2, 6, 6, 8]);
    const [residual, output] = probe.predict(data) as tf.Tensor[];
    const block = await readSEBlock(model.getLayer('r_se') as SqueezeExcite);
    const manual = tf.relu(tf.add(seBlock(residual as tf.Tensor4D, block), data));
    expect(Array.from(await (output as tf.Tensor).data())).toEqual(Array.from(await manual.data()));
    tf.dispose([data, residual as tf.Tensor, output as tf.Tensor, manual]);
    model.dispose();
  });

  it('works in NCHW', () => {
    const x = input({ shape: [16, 8, 8] });
    const y = seResNetBasicBlock(x, { filters: 16, layout: 'NCHW', placement: 'post' });
    const model = build(x, y);
    expect(model.outputs[0]?.shape).toEqual([null, 16, 8, 8]);
    expect(seLayers(model)[0]?.layout).toBe('NCHW');
    const out = model.predict(tf.ones([1, 16, 8, 8])) as tf.Tensor;
    expect(out.shape).toEqual([1, 16, 8, 8]);
    out.dispose();
    model.dispose();
  });

  it('rejects an unknown placement and a wrong-layout input with se-core errors', () => {
    const x = input({ shape: [8, 8, 16] });
    expect(() =>
      seResNetBasicBlock(x, { filters: 16, placement: 'middle' as SEPlacement }),
    ).toThrow(/placement/);
    expect(() =>
      seResNetBasicBlock(input({ shape: [16, 8, 9] }), { filters: 16, layout: 'NCHW' }),
    ).not.toThrow();
    expect(() => seResNetBasicBlock(input({ shape: [16] }), { filters: 16 })).toThrow(SEShapeError);
  });
});

describe('seResNetBottleneck', () => {
  it('puts SE on filters × 4 channels after bn3, as SE-ResNet-50 does', () => {
    const x = input({ shape: [8, 8, 64] });
    const y = seResNetBottleneck(x, { filters: 16, name: 'l1', se: { rule: 'paper' } });
    const model = build(x, y);
    expect(model.outputs[0]?.shape).toEqual([null, 8, 8, 64]);
    const se = seLayers(model)[0] as SqueezeExcite;
    expect(se.spec).toMatchObject({ channels: 64, excitation: { reducedChannels: 4 } });
    expect(inboundNames(se)).toEqual(['l1_bn3']);
    expect(outboundNames(se)).toEqual(['l1_add']);
    // identity shortcut: no projection when shapes already match
    expect(model.layers.some((l) => l.name === 'l1_shortcut_conv')).toBe(false);
    model.dispose();
  });

  it('projects the shortcut when the stride or width changes', () => {
    const x = input({ shape: [8, 8, 32] });
    const y = seResNetBottleneck(x, { filters: 16, strides: 2, name: 'l2', placement: 'identity' });
    const model = build(x, y);
    expect(model.outputs[0]?.shape).toEqual([null, 4, 4, 64]);
    expect(inboundNames(seLayers(model)[0] as SqueezeExcite)).toEqual(['l2_shortcut_bn']);
    model.dispose();
  });
});

describe('seInception', () => {
  const module = (x: SymbolicTensor) =>
    layers
      .concatenate({ name: 'mixed' })
      .apply([
        layers.conv2d({ filters: 8, kernelSize: 1 }).apply(x) as SymbolicTensor,
        layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(x) as SymbolicTensor,
        layers
          .maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' })
          .apply(x) as SymbolicTensor,
      ]) as SymbolicTensor;

  it('recalibrates the whole module output', () => {
    const x = input({ shape: [8, 8, 8] });
    const y = seInception(module, {
      name: 'mixed_se',
      se: { rule: { preset: 'paper', ratio: 4 } },
    })(x);
    const model = build(x, y);
    const se = model.getLayer('mixed_se') as SqueezeExcite;
    expect(se.spec).toMatchObject({ channels: 32, excitation: { reducedChannels: 8 } });
    expect(inboundNames(se)).toEqual(['mixed']);
    expect(model.outputs[0]?.shape).toEqual([null, 8, 8, 32]);
    model.dispose();
  });

  it('wraps a layer or a model as the module', () => {
    const inner = input({ shape: [8, 8, 8] });
    const innerModel = build(inner, module(inner));
    const x = input({ shape: [8, 8, 8] });
    const model = build(x, seInception(innerModel)(x));
    expect(seLayers(model)[0]?.spec.channels).toBe(32);
    model.dispose();
  });
});

describe('insertSE', () => {
  function baseModel(): LayersModel {
    const x = input({ shape: [8, 8, 3], name: 'image' });
    let y = layers
      .conv2d({ filters: 8, kernelSize: 3, padding: 'same', name: 'conv1' })
      .apply(x) as SymbolicTensor;
    y = layers.batchNormalization({ name: 'bn1' }).apply(y) as SymbolicTensor;
    y = layers.reLU({ name: 'relu1' }).apply(y) as SymbolicTensor;
    const skip = y;
    y = layers
      .conv2d({ filters: 8, kernelSize: 3, padding: 'same', name: 'conv2' })
      .apply(y) as SymbolicTensor;
    y = layers.add({ name: 'add' }).apply([y, skip]) as SymbolicTensor;
    y = layers.globalAveragePooling2d({ name: 'pool' }).apply(y) as SymbolicTensor;
    y = layers.dense({ units: 3, name: 'head' }).apply(y) as SymbolicTensor;
    return functionalModel({ inputs: x, outputs: y, name: 'base' });
  }
  const identitySpec = { reducedChannels: 2, gain: 2 } as const; // 2 · sigmoid(0) = 1 with zero weights

  async function zeroSE(model: LayersModel, name: string) {
    const layer = model.getLayer(name) as SqueezeExcite;
    const spec = defineSESpec({ ...layer.spec });
    const zeros = (n: number) => new Float32Array(n);
    loadSEWeights(layer, {
      spec,
      weights: { fc1Weight: zeros(16), fc1Bias: zeros(2), fc2Weight: zeros(16), fc2Bias: zeros(8) },
    });
  }

  it('adds SE after the named layers, rewires their consumers and keeps every original weight', async () => {
    const original = baseModel();
    const withSE = insertSE(original, { after: ['conv1', 'relu1'], spec: identitySpec });
    expect(withSE.layers.map((l) => l.name)).toEqual(
      expect.arrayContaining([
        'conv1_se',
        'relu1_se',
        'conv1',
        'bn1',
        'relu1',
        'conv2',
        'add',
        'pool',
        'head',
      ]),
    );
    expect(inboundNames(withSE.getLayer('conv1_se'))).toEqual(['conv1']);
    expect(inboundNames(withSE.getLayer('bn1'))).toEqual(['conv1_se']);
    // relu1 fed conv2 and the skip connection: both now read relu1_se.
    expect(outboundNames(withSE.getLayer('relu1_se')).sort()).toEqual(['add', 'conv2']);
    expect(original.layers).toHaveLength(8); // the original is untouched (input + 7 layers)
    for (const layer of original.layers) {
      const a = layer.getWeights();
      const b = withSE.getLayer(layer.name).getWeights();
      expect(b.length).toBe(a.length);
      for (let i = 0; i < a.length; i++)
        expect(Array.from(await (b[i] as tf.Tensor).data())).toEqual(
          Array.from(await (a[i] as tf.Tensor).data()),
        );
    }
    // With identity SE weights the new model computes exactly what the original did.
    await zeroSE(withSE, 'conv1_se');
    await zeroSE(withSE, 'relu1_se');
    const data = tf.tensor4d(normal(rng(2), 2 * 8 * 8 * 3), [2, 8, 8, 3]);
    const [a, b] = [original.predict(data) as tf.Tensor, withSE.predict(data) as tf.Tensor];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([data, a, b]);
    original.dispose();
    withSE.dispose();
  });

  it('accepts a Sequential model', async () => {
    const original = sequential({
      layers: [
        layers.conv2d({
          inputShape: [6, 6, 2],
          filters: 8,
          kernelSize: 3,
          padding: 'same',
          name: 'c1',
        }),
        layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', name: 'c2' }),
        layers.flatten({ name: 'flat' }),
      ],
    });
    const withSE = insertSE(original, { after: ['c1'], spec: identitySpec });
    expect(inboundNames(withSE.getLayer('c2'))).toEqual(['c1_se']);
    await zeroSE(withSE, 'c1_se');
    const data = tf.tensor4d(normal(rng(3), 6 * 6 * 2), [1, 6, 6, 2]);
    const [a, b] = [original.predict(data) as tf.Tensor, withSE.predict(data) as tf.Tensor];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([data, a, b]);
    original.dispose();
    withSE.dispose();
  });

  it('derives each SE width from its layer with the rule', () => {
    const withSE = insertSE(baseModel(), {
      after: ['conv2'],
      rule: { preset: 'timm-se', ratio: 0.25 },
    });
    expect((withSE.getLayer('conv2_se') as SqueezeExcite).spec).toMatchObject({
      channels: 8,
      excitation: { reducedChannels: 8 },
    });
    withSE.dispose();
  });

  it('names what is wrong: unknown layer, non-image output, name clash', () => {
    const model = baseModel();
    expect(() => insertSE(model, { after: ['conv9'] })).toThrow(SEError);
    expect(() => insertSE(model, { after: ['conv9'] })).toThrow(/no layer "conv9".*conv1, bn1/);
    expect(() => insertSE(model, { after: ['head'] })).toThrow(SEShapeError);
    expect(() =>
      insertSE(model, { after: ['conv1'], spec: identitySpec, name: () => 'bn1' }),
    ).toThrow(/already has a layer named "bn1"/);
    model.dispose();
  });
});
