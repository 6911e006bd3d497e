import { SESpecError } from '@seblock/se-core';
import { type NetworkDefinition, readCheckpoint } from '@seblock/se-core/networks';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallCase } from '../../../se-core/test/fixtures/networks/load.js';
import { SqueezeExcite, SqueezeExciteResidual } from '../../src/index.js';
import { planResidualFusion } from '../../src/networks/fuse-residual.js';
import {
  buildNetworkModel,
  exportPyTorchStateDict,
  loadPyTorchStateDict,
} from '../../src/networks/index.js';
import { useBackend } from '../support/node-backends.js';
import { compareWithPyTorch } from './support.js';

// buildNetworkModel runs SE-ResNet's se → add → relu as one SqueezeExciteResidual layer;
// small.test.ts checks the fused models against PyTorch on every backend. Here: where it
// fuses, where it must not, and that fusing changes neither the state_dict nor the result.

const count = (model: LayersModel, cls: abstract new (...args: never[]) => unknown) =>
  model.layers.filter((l) => l instanceof cls).length;

beforeAll(() => useBackend('cpu'));

describe('fused SE residual steps in network models', () => {
  it.each(['seresnet50', 'seresnext50_32x4d'] as const)(
    '%s: every SE block is fused, with the unfused model’s state_dict and logits',
    async (arch) => {
      const c = smallCase(arch);
      const seNodes = c.network.nodes.filter((n) => n.op === 'se').length;
      const fused = loadPyTorchStateDict(c.network, c.stateDict, { inputLayout: 'NCHW' });
      const plain = loadPyTorchStateDict(c.network, c.stateDict, {
        inputLayout: 'NCHW',
        fuseSEResidual: false,
      });
      expect(count(fused, SqueezeExciteResidual)).toBe(seNodes);
      expect(count(plain, SqueezeExciteResidual)).toBe(0);
      expect(count(plain, SqueezeExcite)).toBe(seNodes);
      // Add and ReLU layers gone: the fused model has two layers fewer per SE block.
      expect(plain.layers.length - fused.layers.length).toBe(2 * seNodes);
      expect(exportPyTorchStateDict(fused)).toEqual(exportPyTorchStateDict(plain));
      const [f, p] = [await compareWithPyTorch(fused, c), await compareWithPyTorch(plain, c)];
      console.log(
        `[networks] cpu ${arch}-small: fused ${f.ulps.toFixed(2)} ULP, unfused ${p.ulps.toFixed(2)} ULP of max|logit| (allowed ${f.allowedUlps.toFixed(2)})`,
      );
      expect(f.error).toBeLessThanOrEqual(f.tolerance);
      fused.dispose();
      plain.dispose();
    },
  );

  it('fuses se → add without a ReLU after it as the identity, and keeps the other activation', async () => {
    const c = smallCase('seresnet50');
    // The first unit's ReLU becomes a sigmoid: the step fuses without it.
    const act = c.network.nodes.find((n) => n.id === 'layer1.0.act3');
    const network: NetworkDefinition = {
      ...c.network,
      nodes: c.network.nodes.map((n) =>
        n === act ? { ...n, op: 'activation', activation: { kind: 'sigmoid' } } : n,
      ) as NetworkDefinition['nodes'],
    };
    const step = planResidualFusion(network).atAdd.get('layer1.0.add');
    expect(step?.activation).toBe('identity');
    expect(step?.activationId).toBeUndefined();
    const [fused, plain] = [true, false].map((fuseSEResidual) =>
      loadPyTorchStateDict(network, c.stateDict, { inputLayout: 'NCHW', fuseSEResidual }),
    ) as [LayersModel, LayersModel];
    expect((fused.getLayer('layer1.0.se') as SqueezeExciteResidual).activation).toBe('identity');
    const x = tf.tensor4d(c.x, [...c.inputShape]);
    const [a, b] = [fused, plain].map((m) => (m.predict(x) as tf.Tensor).dataSync());
    const tolerance = 16 * 2 ** -24 * Math.max(...Array.from(b as Float32Array, Math.abs));
    (a as Float32Array).forEach((v, i) => {
      expect(Math.abs(v - ((b as Float32Array)[i] as number))).toBeLessThanOrEqual(tolerance);
    });
    x.dispose();
    fused.dispose();
    plain.dispose();
  });

  it('does not fuse an SE output that is read twice or is the network output', () => {
    const { network } = smallCase('seresnet50');
    const reread: NetworkDefinition = {
      ...network,
      nodes: network.nodes.map((n) =>
        n.id === 'layer1.1.conv1' ? { ...n, inputs: ['layer1.0.se'] } : n,
      ) as NetworkDefinition['nodes'],
    };
    expect(planResidualFusion(reread).deferred.has('layer1.0.se')).toBe(false);
    expect(planResidualFusion(reread).deferred.has('layer1.1.se')).toBe(true);
    const asOutput = { ...network, output: 'layer1.0.se' };
    expect(planResidualFusion(asOutput).deferred.has('layer1.0.se')).toBe(false);
    const model = buildNetworkModel(reread);
    expect(readCheckpoint(exportPyTorchStateDict(model)).tensors.size).toBe(
      readCheckpoint(smallCase('seresnet50').stateDict).tensors.size,
    );
    model.dispose();
  });

  it('refuses a non-boolean fuseSEResidual', () => {
    expect(() =>
      buildNetworkModel(smallCase('seresnet50').network, { fuseSEResidual: 1 as never }),
    ).toThrow(SESpecError);
  });
});
