import { describe, expect, it } from 'vitest';
import { SESpecError } from '../src/index.js';
import {
  buildNetwork,
  efficientNetB0,
  elementCount,
  GraphBuilder,
  mobileNetV3Large,
  mobileNetV3Small,
  type NetworkDefinition,
  networkCost,
  readCheckpoint,
  resNet50,
  seResNet50,
  TORCH_BATCH_NORM,
} from '../src/networks/index.js';
import { FIXTURE_ARCHITECTURES, smallCase } from './fixtures/networks/load.js';

// A network small enough to count by hand: 3×8×8 → conv 3×3/2 → BN → ReLU → SE → + → max
// pool 2×2/2 → global pool → linear.
function tinyNetwork(): NetworkDefinition {
  const g = new GraphBuilder(3);
  let x = g.conv(g.inputId, 'conv', { inChannels: 3, outChannels: 4, kernel: 3, stride: 2 });
  x = g.batchNorm(x, 'bn', 4, TORCH_BATCH_NORM);
  const act = g.activation(x, 'act', { kind: 'relu' });
  const se = g.se(act, 'se', {
    channels: 4,
    reducedChannels: 2,
    activation: 'relu',
    gate: 'sigmoid',
  });
  x = g.add(se, act, 'add');
  x = g.push('pool', [x], { op: 'maxPool', kernel: [2, 2], stride: [2, 2], padding: [0, 0, 0, 0] });
  x = g.push('gap', [x], { op: 'globalAvgPool' });
  x = g.push('fc', [x], { op: 'linear', module: 'fc', inFeatures: 4, outFeatures: 3, bias: true });
  return g.finish('resnet50', 'timm', 3, {}, x);
}

/** The original (Caffe, "v1") ResNet: a stage's stride on the first 1×1 conv, not the 3×3. */
function strideOnFirstConv(network: NetworkDefinition): NetworkDefinition {
  return {
    ...network,
    nodes: network.nodes.map((n) => {
      if (/^layer[234]\.0\.conv1$/.test(n.id)) return { ...n, stride: [2, 2] as const };
      if (/^layer[234]\.0\.conv2$/.test(n.id)) return { ...n, stride: [1, 1] as const };
      return n;
    }),
  };
}

describe('networkCost', () => {
  it('counts a small network as by hand', () => {
    const cost = networkCost(tinyNetwork(), [8, 8]);
    const by = Object.fromEntries(cost.nodes.map((n) => [n.id, n]));
    // conv: 4 outputs of 4×4, each 3·3·3 multiply-adds; 4·3·3·3 weights, no bias.
    expect(by.conv).toMatchObject({
      output: [4, 4, 4],
      multiplyAdds: 4 * 16 * 27,
      parameters: 108,
    });
    expect(by.bn).toMatchObject({ parameters: 8, buffers: 9, elementwise: 64 });
    expect(by.act).toMatchObject({ parameters: 0, elementwise: 64 });
    // SE: fc1 2×4 + 2, fc2 4×2 + 4; pool and scale touch 64 values each, act 2, gate 4.
    expect(by.se).toMatchObject({ parameters: 22, multiplyAdds: 16, elementwise: 134 });
    expect(by.add).toMatchObject({ elementwise: 64, output: [4, 4, 4] });
    expect(by.pool).toMatchObject({ output: [4, 2, 2], elementwise: 16 * 4 });
    expect(by.gap).toMatchObject({ output: [4], elementwise: 16 });
    expect(by.fc).toMatchObject({ output: [3], multiplyAdds: 12, parameters: 15 });
    expect(cost).toMatchObject({
      inputSize: [8, 8],
      parameters: 108 + 8 + 22 + 15,
      buffers: 9,
      multiplyAdds: 1728 + 16 + 12,
      elementwise: 64 + 64 + 134 + 64 + 64 + 16,
      se: { blocks: 1, parameters: 22, multiplyAdds: 16, elementwise: 134 },
    });
  });

  it("gives torchvision's published parameter counts and GFLOPS (multiply-adds)", () => {
    // torchvision's model documentation (num_params, GFLOPS at 224×224).
    const published: [NetworkDefinition, number, number][] = [
      [resNet50(), 25_557_032, 4.09],
      [mobileNetV3Small(), 2_542_856, 0.06],
      [mobileNetV3Large(), 5_483_032, 0.22],
      [efficientNetB0(), 5_288_548, 0.39],
    ];
    for (const [network, parameters, gflops] of published) {
      const cost = networkCost(network);
      expect({ arch: network.architecture, parameters: cost.parameters }).toEqual({
        arch: network.architecture,
        parameters,
      });
      expect(cost.multiplyAdds / 1e9).toBeCloseTo(gflops, 2);
    }
  });

  it("gives the SENet paper's ResNet-50 / SE-ResNet-50 numbers, and says how it counts", () => {
    const plain = networkCost(resNet50());
    const se = networkCost(seResNet50());
    // Paper: 25.6M → 28.1M parameters; SE's share is its FCs with biases, by hand:
    // Σ over the 3, 4, 6, 3 blocks of widths 256…2048 of 2·C²/16 + C/16 + C.
    const seParams = [256, 512, 1024, 2048]
      .map((c, i) => ([3, 4, 6, 3][i] as number) * ((2 * (c * c)) / 16 + c / 16 + c))
      .reduce((a, b) => a + b);
    expect(se.se.parameters).toBe(seParams);
    expect(se.parameters).toBe(plain.parameters + seParams);
    expect((plain.parameters / 1e6).toFixed(1)).toBe('25.6');
    expect((se.parameters / 1e6).toFixed(1)).toBe('28.1');
    // timm's ResNet-50 strides on the 3×3 conv: 4.09 G multiply-adds, not the paper's 3.86.
    expect(plain.multiplyAdds / 1e9).toBeCloseTo(4.089, 3);
    // With the stride on the first 1×1 conv (the paper's Caffe models) the paper's numbers
    // appear: 3.86 G, and 3.87 G for SE-ResNet-50 only when the SE pool and scale count.
    const v1 = networkCost(strideOnFirstConv(resNet50()));
    const seV1 = networkCost(strideOnFirstConv(seResNet50()));
    expect((v1.multiplyAdds / 1e9).toFixed(2)).toBe('3.86');
    expect((seV1.multiplyAdds / 1e9).toFixed(2)).toBe('3.86');
    expect(((seV1.multiplyAdds + seV1.se.elementwise) / 1e9).toFixed(2)).toBe('3.87');
    expect(seV1.parameters).toBe(se.parameters);
  });

  for (const arch of FIXTURE_ARCHITECTURES) {
    it(`${arch} (reduced width): parameters and buffers are PyTorch's state_dict, element for element`, () => {
      const { network, stateDict } = smallCase(arch);
      let parameters = 0;
      let buffers = 0;
      for (const [name, t] of readCheckpoint(stateDict).tensors) {
        const isBuffer = /\.(running_mean|running_var|num_batches_tracked)$/.test(name);
        if (isBuffer) buffers += elementCount(t.shape);
        else parameters += elementCount(t.shape);
      }
      const cost = networkCost(network);
      expect({ parameters: cost.parameters, buffers: cost.buffers }).toEqual({
        parameters,
        buffers,
      });
    });
  }

  it('scales the spatial work with the input size and never the parameters', () => {
    const at224 = networkCost(buildNetwork('seresnet50'));
    const at112 = networkCost(buildNetwork('seresnet50'), [112, 112]);
    expect(at112.parameters).toBe(at224.parameters);
    expect(at112.nodes.find((n) => n.id === 'layer1.0.se')?.output).toEqual([256, 28, 28]);
    expect(at112.multiplyAdds).toBeLessThan(at224.multiplyAdds / 3.5);
  });

  it('refuses a bad input size, an input too small for a window and a broken graph', () => {
    expect(() => networkCost(resNet50(), [0, 224])).toThrow(SESpecError);
    expect(() => networkCost(resNet50(), [224] as never)).toThrow(/inputSize/);
    expect(() => networkCost(tinyNetwork(), [1, 1])).toThrow(/large enough/);
    const net = tinyNetwork();
    const wrongChannels = {
      ...net,
      nodes: net.nodes.map((n) => (n.id === 'bn' ? { ...n, channels: 5 } : n)),
    };
    expect(() => networkCost(wrongChannels as NetworkDefinition, [8, 8])).toThrow(
      /nodes\[2\]\.channels.*4 \(the channels of conv\).*5/,
    );
    const dangling = {
      ...net,
      nodes: net.nodes.map((n) => (n.id === 'act' ? { ...n, inputs: ['nope'] } : n)),
    };
    expect(() => networkCost(dangling as NetworkDefinition, [8, 8])).toThrow(/nodes\[3\]\.inputs/);
  });
});
