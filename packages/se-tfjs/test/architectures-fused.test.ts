import { SESpecError } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import {
  model as functionalModel,
  input,
  type LayersModel,
  type SymbolicTensor,
} from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  exportSEWeights,
  loadSEWeights,
  type SqueezeExcite,
  SqueezeExciteResidual,
  seResNetBottleneck,
} from '../src/index.js';
import { useBackend } from './support/node-backends.js';
import { normal, rng } from './support/random.js';

// seResNetBottleneck's fuseResidual: the standard unit's SE, Add and ReLU as one layer, with
// the output and the weights of the three layers it replaces.

beforeAll(() => useBackend('cpu'));

function bottleneck(fuseResidual: boolean, strides: number): LayersModel {
  const x = input({ shape: [8, 8, 32], name: 'x' });
  const y = seResNetBottleneck(x, {
    filters: 16,
    strides,
    name: 'u',
    fuseResidual,
    se: { rule: 'paper' },
  });
  return functionalModel({ inputs: x, outputs: y });
}

describe('seResNetBottleneck with fuseResidual', () => {
  it.each([1, 2])(
    'computes the unfused unit (stride %i) with one layer in place of three',
    async (strides) => {
      const [fused, plain] = [bottleneck(true, strides), bottleneck(false, strides)];
      const names = (m: LayersModel) => m.layers.map((l) => l.name);
      expect(names(fused)).not.toContain('u_add');
      expect(names(fused)).not.toContain('u_out');
      expect(fused.getLayer('u_se')).toBeInstanceOf(SqueezeExciteResidual);
      expect(
        names(plain)
          .filter((n) => !['u_add', 'u_out'].includes(n))
          .sort(),
      ).toEqual(names(fused).sort());
      // Same weights by layer name (convolutions, batch norms, and the SE block's file).
      for (const layer of plain.layers) {
        if (layer.name === 'u_se') continue;
        if (layer.weights.length > 0) fused.getLayer(layer.name).setWeights(layer.getWeights());
      }
      loadSEWeights(
        fused.getLayer('u_se') as SqueezeExcite,
        await exportSEWeights(plain.getLayer('u_se') as SqueezeExcite),
      );
      const data = tf.tensor4d(normal(rng(7), 2 * 8 * 8 * 32), [2, 8, 8, 32]);
      const [a, b] = [fused, plain].map((m) => (m.predict(data) as tf.Tensor).dataSync());
      for (let i = 0; i < (b as Float32Array).length; i++) {
        const expected = (b as Float32Array)[i] as number;
        expect(Math.abs(((a as Float32Array)[i] as number) - expected)).toBeLessThanOrEqual(
          2 ** -21 * Math.max(1, Math.abs(expected)),
        );
      }
      data.dispose();
      fused.dispose();
      plain.dispose();
    },
  );

  it('refuses fuseResidual outside the standard placement, and a non-boolean', () => {
    const x = input({ shape: [8, 8, 64] }) as SymbolicTensor;
    expect(() =>
      seResNetBottleneck(x, { filters: 16, placement: 'post', fuseResidual: true }),
    ).toThrow(SESpecError);
    expect(() => seResNetBottleneck(x, { filters: 16, fuseResidual: 'yes' as never })).toThrow(
      /options\.fuseResidual/,
    );
  });
});
