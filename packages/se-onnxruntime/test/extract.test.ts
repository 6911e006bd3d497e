import { decodeSEBundle, encodeSEBundle, float32Ulp, type SEBlock } from '@seblock/se-core';
import { describe, expect, it } from 'vitest';
import {
  buildSEModel,
  createModelSession,
  extractSE,
  extractSEBundle,
  findResidualBranches,
  insertSEResidual,
  SEModelError,
} from '../src/index.js';
import { expectSameBlock } from './support/blocks.js';
import { fixtureBytes, fixtureTensors, moduleOf } from './support/fixtures.js';
import { randomBlock } from './support/random.js';

describe('extractSE on models from elsewhere', () => {
  it('finds every SE block of torchvision MobileNetV3-Small (PyTorch export) with PyTorch weights', () => {
    const model = fixtureBytes('mobilenet_v3_small.onnx');
    const expected = decodeSEBundle(fixtureBytes('mobilenet-se-weights.safetensors'));
    const found = extractSE(model);
    expect(found.map((f) => f.name)).toEqual([...expected.keys()]);
    for (const f of found) {
      expectSameBlock(f.block, expected.get(f.name) as SEBlock, f.name);
      // The PyTorch preset exactly: 1/6 and 1/2, not float32's 0.1666666716…
      expect(f.block.spec.gate).toEqual({ type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 });
      expect(f.form).toEqual({
        fullyConnected: 'conv',
        squeezeOp: 'global-pool',
        nanGuard: 'max',
        asFunction: false,
      });
    }
    console.log(
      `[mobilenet] extractSE found ${found.length} blocks: ${found.map((f) => `${f.name} (C ${f.block.spec.channels}, ${JSON.stringify(f.block.spec.excitation)})`).join(', ')}`,
    );
  });

  it('finds eca, ese and cbam blocks as PyTorch exports timm-style modules, with their weights', () => {
    // scripts/make_kind_fixtures.py: ECA's Conv1d after view(B, 1, -1), eSE's one 1×1 conv and
    // HardSigmoid, CBAM's shared MLP on ReduceMean and ReduceMax with the logits added.
    const expected = decodeSEBundle(fixtureBytes('attention-kinds-weights.safetensors'));
    const found = extractSE(fixtureBytes('attention-kinds.onnx'));
    expect(found.map((f) => f.name)).toEqual(['eca', 'ese', 'cbam']);
    for (const f of found) expectSameBlock(f.block, expected.get(f.name) as SEBlock, f.name);
    expect(found.map((f) => f.block.spec.excitation.kind)).toEqual(['eca', 'ese', 'cbam']);
    // ECA's weights do not tell C: it comes from the tensor the block scales (conv1's 16).
    expect(found[0]?.block.spec.channels).toBe(16);
  });

  it('the MobileNetV3 export runs on onnxruntime-node and onnxruntime-web with PyTorch logits', async () => {
    const io = fixtureTensors('mobilenet-io.safetensors');
    const x = io.get('x')?.values as Float32Array;
    const expected = io.get('logits_f64')?.values as Float64Array;
    for (const runtime of ['node', 'web'] as const) {
      const session = await createModelSession(fixtureBytes('mobilenet_v3_small.onnx'), {
        runtime,
      });
      const logits = await session.runArray(x, io.get('x')?.shape as number[]);
      await session.release();
      const scale = Math.max(...Array.from(expected, Math.abs));
      const worst = Math.max(
        ...Array.from(logits, (v, i) => Math.abs(v - (expected[i] as number))),
      );
      console.log(
        `[mobilenet] ${runtime}: logits within ${(worst / float32Ulp(scale)).toFixed(2)} ULPs of max |logit| from PyTorch float64`,
      );
      expect(worst / float32Ulp(scale)).toBeLessThanOrEqual(64);
    }
  });

  it('round-trips SE-ResNet weights: PyTorch bundle → insertSEResidual → extractSE → se-core bundle', () => {
    const bundle = decodeSEBundle(fixtureBytes('resnet-se-weights.safetensors'));
    const resnet = fixtureBytes('resnet.onnx');
    for (const asFunction of [false, true]) {
      const edited = insertSEResidual(
        resnet,
        (r) => ({
          block: bundle.get(`${moduleOf(r.add)}.se`) as SEBlock,
          name: `${moduleOf(r.add)}.se`,
        }),
        { asFunction },
      );
      const back = decodeSEBundle(encodeSEBundle(extractSEBundle(edited)));
      expect([...back.keys()]).toEqual([...bundle.keys()]);
      for (const [name, block] of back) expectSameBlock(block, bundle.get(name) as SEBlock, name);
    }
  });

  it('insertSEResidual names blocks after their PyTorch module, so the bundle comes back under its own names', () => {
    const bundle = decodeSEBundle(fixtureBytes('resnet-se-weights.safetensors'));
    const resnet = fixtureBytes('resnet.onnx');
    expect(findResidualBranches(resnet).map((r) => r.name)).toEqual([...bundle.keys()]);
    const back = extractSEBundle(insertSEResidual(resnet, (r) => bundle.get(r.name)));
    expect([...back.keys()]).toEqual([...bundle.keys()]);
    for (const [name, block] of back) expectSameBlock(block, bundle.get(name) as SEBlock, name);
  });

  it("reads PyTorch's own SE-ResNet export (ReduceMean, HardSigmoid, Sigmoid·Mul SiLU, gain Mul) back to its weights", () => {
    const bundle = decodeSEBundle(fixtureBytes('resnet-se-weights.safetensors'));
    const found = extractSE(fixtureBytes('se-resnet.onnx'));
    expect(found.map((f) => f.name)).toEqual([...bundle.keys()]);
    for (const f of found) {
      expectSameBlock(f.block, bundle.get(f.name) as SEBlock, f.name);
      expect(f.form.squeezeOp).toBe('reduce');
    }
  });

  it('reads a ceca block back as ceca, but one with k = 1 as eca: no padding, the same graph and function', () => {
    for (const [kernelSize, kind] of [
      [3, 'ceca'],
      [1, 'eca'],
    ] as const) {
      const block = randomBlock(
        {
          version: 2,
          channels: 5,
          excitation: { kind: 'ceca', kernelSize },
          gate: { type: 'sigmoid' },
        },
        kernelSize,
      );
      const [found] = extractSE(buildSEModel(block));
      expect(found?.block.spec.excitation).toEqual({ kind, kernelSize });
      expect(found?.block.weights).toEqual(block.weights);
    }
  });

  it('finds nothing in a network without SE blocks', () => {
    expect(extractSE(fixtureBytes('resnet.onnx'))).toEqual([]);
  });

  it('rejects bytes that are not a model', () => {
    expect(() => extractSE(new Uint8Array([8, 1, 2, 3]))).toThrow(SEModelError);
    expect(() => extractSE(fixtureBytes('resnet-io.safetensors'))).toThrow(SEModelError);
  });

  it('names blocks from weight names, or sanitised node names, always unique', () => {
    const block = randomBlock({ channels: 8, reducedChannels: 2 }, 77);
    const c32 = randomBlock({ channels: 32, reducedChannels: 4 }, 1);
    const resnet = fixtureBytes('resnet.onnx');
    // insertSEResidual names a block after the module of its Add; one name asked twice is made unique.
    const byModule = insertSEResidual(resnet, (r) => (r.channels === 32 ? c32 : undefined));
    expect(extractSE(byModule).map((f) => f.name)).toEqual(['layer2.0.se', 'layer2.1.se']);
    const sameName = insertSEResidual(resnet, (r) =>
      r.channels === 32 ? { block: c32, name: 'se' } : undefined,
    );
    expect(extractSE(sameName).map((f) => f.name)).toEqual(['se', 'se_1']);
    // 'my block!.fc1.weight' → module 'my block!' → characters se-core bundles reject become '_'.
    expect(extractSE(buildSEModel(block, { name: 'my block!' }))[0]?.name).toBe('my_block_');
  });
});
