import { describe, expect, it } from 'vitest';
import { SESpecError, SEWeightFormatError } from '../src/index.js';
import {
  buildNetwork,
  checkpointFloats,
  checkpointIntegers,
  efficientNetB0,
  elementCount,
  mobileNetV3Large,
  mobileNetV3Small,
  readCheckpoint,
  resNet50,
  seededStateDict,
  seResNeXt50_32x4d,
  stateDictSchema,
  writeCheckpoint,
} from '../src/networks/index.js';
import {
  FIXTURE_ARCHITECTURES,
  NETWORK_FIXTURES,
  networkFixtureBytes,
  smallCase,
} from './fixtures/networks/load.js';

describe('network builders against PyTorch state_dicts', () => {
  for (const arch of FIXTURE_ARCHITECTURES) {
    it(`${arch} (reduced width): the schema is the PyTorch state_dict, name for name`, () => {
      const { network, stateDict } = smallCase(arch);
      const { tensors } = readCheckpoint(stateDict);
      const schema = stateDictSchema(network);
      expect(schema.map((e) => e.name).sort()).toEqual([...tensors.keys()].sort());
      for (const e of schema) {
        const t = tensors.get(e.name);
        expect({ name: e.name, shape: t?.shape, dtype: t?.dtype }).toEqual({
          name: e.name,
          shape: e.shape,
          dtype: e.dtype,
        });
      }
    });

    it(`${arch} (reduced width): the seeded weights are the committed PyTorch ones, bit for bit`, () => {
      const { network, stateDict } = smallCase(arch);
      const { tensors } = readCheckpoint(stateDict);
      for (const [name, values] of seededStateDict(network, NETWORK_FIXTURES.seed)) {
        const t = tensors.get(name);
        if (!t) throw new Error(`missing ${name}`);
        const stored =
          values instanceof BigInt64Array ? checkpointIntegers(t, name) : checkpointFloats(t, name);
        expect(stored, name).toEqual(values);
      }
    });

    it(`${arch} (full size): as many state_dict tensors as PyTorch's`, () => {
      expect(stateDictSchema(buildNetwork(arch)).length).toBe(
        NETWORK_FIXTURES.networks[arch].full.tensors,
      );
    });
  }

  it('parameter counts equal the published ones (torchvision weight metadata, timm)', () => {
    const params = (net: ReturnType<typeof resNet50>) =>
      stateDictSchema(net)
        .filter((e) => e.role !== 'bnRunningMean' && e.role !== 'bnRunningVar' && e.dtype === 'F32')
        .reduce((sum, e) => sum + elementCount(e.shape), 0);
    expect(params(resNet50())).toBe(25_557_032);
    expect(params(seResNeXt50_32x4d())).toBe(27_559_896);
    expect(params(mobileNetV3Small())).toBe(2_542_856);
    expect(params(mobileNetV3Large())).toBe(5_483_032);
    expect(params(efficientNetB0())).toBe(5_288_548);
  });

  it('carries the traps explicitly: MobileNetV3 BN eps/momentum and hard-sigmoid slope, padding', () => {
    const net = mobileNetV3Small();
    const bn = net.nodes.find((n) => n.op === 'batchNorm');
    expect(bn).toMatchObject({ eps: 0.001, momentum: 0.01 });
    const se = net.nodes.find((n) => n.op === 'se');
    expect(se?.op === 'se' && se.spec.gate).toEqual({
      type: 'hardsigmoid',
      alpha: 1 / 6,
      beta: 0.5,
    });
    const stem = resNet50().nodes[1];
    expect(stem).toMatchObject({ op: 'conv2d', padding: [3, 3, 3, 3], stride: [2, 2] });
    expect(efficientNetB0().nodes.find((n) => n.op === 'batchNorm')).toMatchObject({
      eps: 1e-5,
      momentum: 0.1,
    });
  });
});

describe('builder and checkpoint errors', () => {
  it('rejects bad options with SESpecError naming the field', () => {
    expect(() => resNet50({ width: 1 / 3 })).toThrow(SESpecError);
    expect(() => resNet50({ numClasses: 0 })).toThrow(/options.numClasses/);
    expect(() => seResNeXt50_32x4d({ width: 1 / 64, baseWidth: 4 })).toThrow(/options.baseWidth/);
    expect(() => buildNetwork('resnet18')).toThrow(/architecture: expected one of resnet50/);
  });

  it('reads and rewrites a PyTorch-written checkpoint byte for byte', () => {
    const bytes = networkFixtureBytes('seresnet50-small.safetensors');
    const { tensors, metadata } = readCheckpoint(bytes);
    expect(writeCheckpoint(tensors, metadata)).toEqual(bytes);
  });

  it('names a truncated checkpoint instead of reading past its end', () => {
    const bytes = networkFixtureBytes('seresnet50-small.safetensors');
    expect(() => readCheckpoint(bytes.subarray(0, bytes.length - 3))).toThrow(SEWeightFormatError);
    expect(() => readCheckpoint(bytes.subarray(0, 20))).toThrow(/header length/);
    expect(() => readCheckpoint(new Uint8Array(4))).toThrow(/at least 8 bytes/);
  });
});
