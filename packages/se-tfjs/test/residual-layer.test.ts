import { decodeSEWeights, SESpecError } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import {
  model as functionalModel,
  initializers,
  input,
  type LayersModel,
  layers,
  loadLayersModel,
  type SymbolicTensor,
} from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  exportSEWeights,
  loadSEWeights,
  readSEBlock,
  SE_KERNEL_NAME,
  SqueezeExcite,
  SqueezeExciteResidual,
  seResidualBlock,
} from '../src/index.js';
import { savedArtifacts } from './support/models.js';
import { NODE_BACKENDS, useBackend } from './support/node-backends.js';
import { normal, rng } from './support/random.js';

// The SqueezeExciteResidual layer: [x, shortcut] → act(SE(x) + shortcut) as one kernel, and
// otherwise a SqueezeExcite (variables, weight files, save and load, training) equal to the
// SqueezeExcite → Add → ReLU it replaces.

const SPEC = { excitation: { kind: 'mlp', activation: 'relu', bias: true } } as const;

/** x → [SE, shortcut] → out: the fused layer, or SqueezeExcite, Add and ReLU layers. */
function unitModel(
  fused: boolean,
  layout: 'NHWC' | 'NCHW' = 'NHWC',
  activation: 'relu' | 'identity' = 'relu',
): LayersModel {
  const shape = layout === 'NHWC' ? [6, 5, 16] : [16, 6, 5];
  const x = input({ shape });
  const shortcut = input({ shape });
  const se = { name: 'se', spec: SPEC, rule: 'paper' as const, layout };
  const kernelInitializer = initializers.glorotUniform({ seed: 3 });
  const biasInitializer = initializers.randomNormal({ seed: 4, stddev: 0.1 });
  let out: SymbolicTensor;
  if (fused) {
    out = new SqueezeExciteResidual({
      ...se,
      activation,
      kernelInitializer,
      biasInitializer,
    }).apply([x, shortcut]) as SymbolicTensor;
  } else {
    const y = new SqueezeExcite({ ...se, kernelInitializer, biasInitializer }).apply(
      x,
    ) as SymbolicTensor;
    out = layers.add().apply([y, shortcut]) as SymbolicTensor;
    if (activation === 'relu') out = layers.reLU().apply(out) as SymbolicTensor;
  }
  return functionalModel({ inputs: [x, shortcut], outputs: out });
}

describe.each(NODE_BACKENDS)('SqueezeExciteResidual on %s', (backend) => {
  let inputs: tf.Tensor[];
  beforeAll(async () => {
    await useBackend(backend);
    inputs = [1, 2].map((seed) => tf.tensor4d(normal(rng(seed), 2 * 6 * 5 * 16), [2, 6, 5, 16]));
  });

  it("has SqueezeExcite's variables and computes SE → Add → ReLU in one kernel", async () => {
    const [fused, composed] = [unitModel(true), unitModel(false)];
    const names = (m: LayersModel) =>
      m.getLayer('se').weights.map((w) => [w.originalName, w.shape]);
    expect(names(fused)).toEqual(names(composed));
    expect(fused.getLayer('se')).toBeInstanceOf(SqueezeExcite);
    // apply, not predict (which slices the batch first).
    const profile = await tf.profile(() => fused.apply(inputs) as tf.Tensor);
    expect(profile.kernels.map((k) => k.name).filter((n) => n !== 'unnamed scope')).toEqual([
      SE_KERNEL_NAME,
    ]);
    tf.dispose(profile.result as tf.Tensor);
    const [a, b] = [fused, composed].map((m) => m.predict(inputs) as tf.Tensor);
    const [da, db] = await Promise.all([(a as tf.Tensor).data(), (b as tf.Tensor).data()]);
    for (let i = 0; i < da.length; i++)
      expect(Math.abs((da[i] as number) - (db[i] as number))).toBeLessThanOrEqual(
        2 ** -22 * Math.max(1, Math.abs(db[i] as number)),
      );
    tf.dispose([a as tf.Tensor, b as tf.Tensor]);
    fused.dispose();
    composed.dispose();
  });

  it('trains as the layers it replaces: SGD steps move the weights alike, no tensor left behind', async () => {
    const [fused, composed] = [unitModel(true), unitModel(false)];
    const target = tf.randomNormal([2, 6, 5, 16], 0, 1, 'float32', 5);
    // The first step allocates what every later step reuses (the optimizer's constants).
    for (const m of [fused, composed]) {
      m.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError' });
      await m.trainOnBatch(inputs, target);
    }
    const before = tf.memory().numTensors;
    for (const m of [fused, composed]) await m.trainOnBatch(inputs, target);
    expect(tf.memory().numTensors).toBe(before);
    const weights = (m: LayersModel) =>
      m
        .getLayer('se')
        .getWeights()
        .map((w) => w.dataSync());
    const [wf, wc] = [weights(fused), weights(composed)];
    wf.forEach((w, j) => {
      const reference = wc[j] as Float32Array | Int32Array | Uint8Array;
      for (let k = 0; k < w.length; k++)
        expect(Math.abs((w[k] as number) - (reference[k] as number))).toBeLessThan(1e-6);
    });
    target.dispose();
    fused.dispose();
    composed.dispose();
  });

  it('saves and loads (activation and layout kept), and reads and writes SqueezeExcite weight files', async () => {
    for (const [layout, activation] of [
      ['NHWC', 'identity'],
      ['NCHW', 'relu'],
    ] as const) {
      const model = unitModel(true, layout, activation);
      const data = layout === 'NHWC' ? inputs : inputs.map((t) => tf.transpose(t, [0, 3, 1, 2]));
      const expected = (model.predict(data) as tf.Tensor).dataSync();
      const loaded = await loadLayersModel(tf.io.fromMemory(await savedArtifacts(model)));
      const layer = loaded.getLayer('se') as SqueezeExciteResidual;
      expect(layer).toBeInstanceOf(SqueezeExciteResidual);
      expect([layer.activation, layer.layout]).toEqual([activation, layout]);
      expect(Array.from((loaded.predict(data) as tf.Tensor).dataSync())).toEqual(
        Array.from(expected),
      );
      // The weight file of a SqueezeExcite with the same spec loads into it, and back.
      const bytes = await exportSEWeights(model.getLayer('se') as SqueezeExciteResidual);
      const plain = unitModel(false, layout).getLayer('se') as SqueezeExcite;
      loadSEWeights(plain, bytes);
      expect(await exportSEWeights(plain)).toEqual(bytes);
      expect(decodeSEWeights(bytes).spec).toEqual(layer.spec);
      if (layout === 'NCHW') tf.dispose(data);
      model.dispose();
      loaded.dispose();
    }
  });

  it.each([
    { excitation: { kind: 'ese' } },
    { excitation: { kind: 'eca' }, squeeze: 'max' },
    { excitation: { kind: 'cbam' } },
    { excitation: { kind: 'mlp' }, squeeze: 'avgmax' },
  ] as const)('runs the op on its own weights for %j', async (spec) => {
    const layer = new SqueezeExciteResidual({
      spec,
      // ese and eca have no reduction to rule on.
      ...(spec.excitation.kind === 'mlp' || spec.excitation.kind === 'cbam'
        ? { rule: 'paper' as const }
        : {}),
      activation: 'identity',
      biasInitializer: initializers.randomNormal({ seed: 6, stddev: 0.1 }),
    });
    const y = layer.apply(inputs) as tf.Tensor;
    const expected = seResidualBlock(
      inputs[0] as tf.Tensor4D,
      inputs[1] as tf.Tensor4D,
      await readSEBlock(layer),
      { activation: 'identity' },
    );
    expect(layer.spec.squeeze).toBe('squeeze' in spec ? spec.squeeze : layer.spec.squeeze);
    expect(Array.from(await y.data())).toEqual(Array.from(await expected.data()));
    tf.dispose([y, expected]);
    layer.dispose();
  });

  it('refuses one input, shapes that differ and an unknown activation with se-core errors', () => {
    const x = input({ shape: [4, 4, 16] });
    const other = input({ shape: [4, 4, 8] });
    expect(() => new SqueezeExciteResidual().apply(x)).toThrow(SESpecError);
    expect(() => new SqueezeExciteResidual().apply([x, other])).toThrow(
      /shortcut shape: expected x's shape \[null, 4, 4, 16\], received \[null, 4, 4, 8\]/,
    );
    expect(() => new SqueezeExciteResidual({ activation: 'gelu' as never })).toThrow(
      /args\.activation.*"relu" or "identity"/,
    );
  });
});
