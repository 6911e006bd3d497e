import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Activation,
  decodeSafetensors,
  EXCITATION_KIND_NAMES,
  EXPORT_METADATA_KEY,
  type ExcitationKindName,
  exportSEBlocks,
  exportSEBlocksToSafetensors,
  fromCanonicalWeight,
  importSEBlocks,
  NAMING_CONVENTION_NAMES,
  NAMING_CONVENTIONS,
  type NamingConventionName,
  parseSESpec,
  type SEBlock,
  type SEBlockInput,
  toCanonicalWeight,
  WEIGHT_LAYOUTS,
  weightSlots,
} from '../src/index.js';
import { blockArbitrary, specArbitrary, weightsArbitrary } from './arbitraries.js';

describe('weight layouts', () => {
  // Canonical [out=2, in=3]: row o holds the weights into output o.
  const canonical = new Float32Array([1, 2, 3, 4, 5, 6]);

  it('stores conv [out, in, 1, 1] and Linear [out, in] as the canonical bytes', () => {
    expect([...fromCanonicalWeight(canonical, 'oihw', 2, 3)]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...fromCanonicalWeight(canonical, 'oi', 2, 3)]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('transposes for Keras HWIO [1, 1, in, out] and Dense [in, out]', () => {
    expect([...fromCanonicalWeight(canonical, 'hwio', 2, 3)]).toEqual([1, 4, 2, 5, 3, 6]);
    expect([...fromCanonicalWeight(canonical, 'io', 2, 3)]).toEqual([1, 4, 2, 5, 3, 6]);
    expect([...toCanonicalWeight(new Float32Array([1, 4, 2, 5, 3, 6]), 'hwio', 2, 3)]).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
  });

  it('keeps the element type and never aliases the input', () => {
    const f64 = new Float64Array([0.1, 0.2]);
    for (const layout of WEIGHT_LAYOUTS) {
      const out = toCanonicalWeight(f64, layout, 1, 2);
      expect(out).toBeInstanceOf(Float64Array);
      expect(out).not.toBe(f64);
    }
  });

  it('toCanonicalWeight inverts fromCanonicalWeight for every layout', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...WEIGHT_LAYOUTS),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (layout, out, inChannels) => {
          const values = Float64Array.from({ length: out * inChannels }, (_, i) => i + 0.5);
          const stored = fromCanonicalWeight(values, layout, out, inChannels);
          expect(toCanonicalWeight(stored, layout, out, inChannels)).toEqual(values);
        },
      ),
    );
  });
});

const PREFIXES: Record<NamingConventionName, string[]> = {
  'fc1-fc2': ['layer1.0.se', 'features.4.block.2'],
  'fc-sequential': ['layer1.0.se', 'layer2.1.se'],
  'conv-reduce-expand': ['blocks.1.0.se', 'blocks.2.1.se'],
  'caffe-down-up': ['conv2_1', 'conv4_6'],
  'keras-se-reduce-expand': ['block1a', 'block6d'],
  'keras-squeeze-excite': ['expanded_conv', 'expanded_conv_10'],
  'timm-ese': ['stages.0.blocks.0.attn', 'stages.3.blocks.2.attn'],
  'timm-hgnet-ese': ['stages.0.blocks.0.aggregation.1', 'stages.2.blocks.1.aggregation.1'],
  'timm-cbam': ['layer1.0.se', 'layer4.2.se'],
  'timm-eca': ['layer1.0.se', 'stages.2.blocks.1.attn'],
  'timm-ceca': ['layer1.0.se', 'layer3.1.se'],
};

/**
 * A random valid block of the convention's kind, weights in [-0.5, 0.5]. The
 * hgnet convention only recognises ESE blocks with a bias (its names are every
 * convolution's), so blocks for it always have one.
 */
function blockArb(name: NamingConventionName, float64: boolean): fc.Arbitrary<SEBlock> {
  const { kind } = NAMING_CONVENTIONS[name];
  return specArbitrary(kind as ExcitationKindName)
    .map((spec) =>
      NAMING_CONVENTIONS[name].requires
        ? parseSESpec({ ...spec, excitation: { ...spec.excitation, bias: true } })
        : spec,
    )
    .chain((spec) =>
      weightsArbitrary(spec, float64, { min: -0.5, max: 0.5 }).map((weights) => ({
        spec,
        weights,
      })),
    );
}

/** What importSEBlocks cannot read from the names: given explicitly for a plain tensor map. */
function behaviourOf({ spec }: SEBlock) {
  const { activation } = spec.excitation as { activation?: Activation };
  return {
    ...(activation && { activation }),
    gate: spec.gate,
    squeeze: spec.squeeze,
    gain: spec.gain,
    channels: spec.channels,
  };
}

describe.each(NAMING_CONVENTION_NAMES)(
  'convention %s: export then import is the identity',
  (name) => {
    const convention = NAMING_CONVENTIONS[name];
    const prefixes = PREFIXES[name];
    const anchorKey = Object.keys(convention.tensors)[0] as string;

    it('through a name → tensor map (values unchanged, float64 kept)', () => {
      fc.assert(
        fc.property(fc.array(blockArb(name, true), { minLength: 1, maxLength: 2 }), (list) => {
          const blocks = new Map(list.map((block, i) => [prefixes[i] as string, block]));
          const tensors = exportSEBlocks(blocks, name);
          for (const [prefix, block] of blocks) {
            for (const slot of weightSlots(block.spec)) {
              const full = `${prefix}${convention.separator}${convention.tensors[slot.key]}`;
              expect(tensors.has(full), full).toBe(slot.present);
              expect(tensors.get(full)?.values.constructor.name ?? 'Float64Array').toBe(
                'Float64Array',
              );
            }
          }
          const first = list[0] as SEBlock;
          // Give the behaviour explicitly: a plain map carries no metadata. Use a
          // single block so one behaviour fits all.
          const single = new Map([[prefixes[0] as string, first]]);
          const { blocks: again } = importSEBlocks(exportSEBlocks(single, name), {
            convention: name,
            ...behaviourOf(first),
          });
          expect(again).toEqual(single);
        }),
        { numRuns: 40 },
      );
    });

    it('through safetensors bytes, which record the behaviour so no preset is needed', () => {
      fc.assert(
        fc.property(fc.array(blockArb(name, false), { minLength: 1, maxLength: 2 }), (list) => {
          const blocks = new Map(list.map((block, i) => [prefixes[i] as string, block]));
          const bytes = exportSEBlocksToSafetensors(blocks, name);
          const { blocks: again, report } = importSEBlocks(bytes);
          expect(again).toEqual(blocks);
          expect(report.conventions).toEqual([name]);
        }),
        { numRuns: 40 },
      );
    });

    it('for a bare module (empty prefix): names without a separator', () => {
      const block = fc.sample(blockArb(name, false), { numRuns: 1, seed: 7 })[0] as SEBlock;
      const tensors = exportSEBlocks(new Map([['', block]]), name);
      expect(tensors.has(convention.tensors[anchorKey] as string)).toBe(true);
      const { blocks } = importSEBlocks(exportSEBlocksToSafetensors(new Map([['', block]]), name));
      expect(blocks).toEqual(new Map([['', block]]));
    });

    it('refuses blocks of another excitation kind, naming the kind', () => {
      const other = EXCITATION_KIND_NAMES.find((k) => k !== convention.kind) as ExcitationKindName;
      const block = fc.sample(blockArbitrary(false, other), { numRuns: 1, seed: 3 })[0] as SEBlock;
      expect(() => exportSEBlocks({ a: block }, name)).toThrow(
        new RegExp(`spec.excitation.kind: expected "${convention.kind}"`),
      );
    });
  },
);

describe('exported files', () => {
  const block: SEBlockInput = {
    spec: {
      version: 1,
      channels: 4,
      reducedChannels: 2,
      squeeze: 'avg',
      activation: 'relu',
      gate: { type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 },
      bias: true,
      gain: 1,
    },
    weights: {
      fc1Weight: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]),
      fc1Bias: new Float32Array([0.5, -0.5]),
      fc2Weight: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]),
      fc2Bias: new Float32Array([1, 2, 3, 4]),
    },
  };

  it('use the names and layouts of torchvision (Conv2d [out, in, 1, 1])', () => {
    const { tensors, metadata } = decodeSafetensors(
      exportSEBlocksToSafetensors({ 'features.1.block.1': block }, 'fc1-fc2'),
    );
    expect([...tensors.keys()].sort()).toEqual([
      'features.1.block.1.fc1.bias',
      'features.1.block.1.fc1.weight',
      'features.1.block.1.fc2.bias',
      'features.1.block.1.fc2.weight',
    ]);
    expect(tensors.get('features.1.block.1.fc1.weight')?.shape).toEqual([2, 4, 1, 1]);
    expect(JSON.parse(metadata[EXPORT_METADATA_KEY] as string).convention).toBe('fc1-fc2');
  });

  it('use Keras HWIO kernels for Keras conventions', () => {
    const tensors = exportSEBlocks({ block2a: block }, 'keras-se-reduce-expand');
    expect(tensors.get('block2a_se_reduce/kernel')?.shape).toEqual([1, 1, 4, 2]);
    expect([...(tensors.get('block2a_se_reduce/kernel')?.values ?? [])]).toEqual([
      1, 5, 2, 6, 3, 7, 4, 8,
    ]);
    expect(tensors.get('block2a_se_expand/kernel')?.shape).toEqual([1, 1, 2, 4]);
  });

  it('can be written as F16 or F64', () => {
    const f16 = decodeSafetensors(
      exportSEBlocksToSafetensors({ a: block }, 'fc1-fc2', { dtype: 'F16' }),
    );
    expect(f16.tensors.get('a.fc1.weight')?.dtype).toBe('F16');
    const f64 = decodeSafetensors(
      exportSEBlocksToSafetensors({ a: block }, 'fc1-fc2', { dtype: 'F64' }),
    );
    expect(f64.tensors.get('a.fc1.weight')?.dtype).toBe('F64');
  });

  it('let a caller preset override the recorded behaviour', () => {
    const bytes = exportSEBlocksToSafetensors({ 'layer1.0.se': block }, 'fc1-fc2');
    const { blocks } = importSEBlocks(bytes, { preset: 'timm-seresnet' });
    expect(blocks.get('layer1.0.se')?.spec.gate).toEqual({ type: 'sigmoid' });
  });
});

describe('discovery', () => {
  it('with no convention, searches every built-in one and imports all blocks found', () => {
    const mixed = new Map([
      ...exportSEBlocks({ 'layer1.0.se': blockOf(8, 2) }, 'fc1-fc2'),
      ...exportSEBlocks({ block1a: blockOf(8, 2) }, 'keras-se-reduce-expand'),
    ]);
    const { blocks, report } = importSEBlocks(mixed, {
      activation: 'relu',
      gate: { type: 'sigmoid' },
    });
    expect([...blocks.keys()]).toEqual(['block1a', 'layer1.0.se']);
    // Without a preset, kind or convention: every convention of kind mlp.
    expect(report.conventions).toEqual(
      NAMING_CONVENTION_NAMES.filter((n) => NAMING_CONVENTIONS[n].kind === 'mlp'),
    );
    expect(report.blocks.map((b) => b.convention)).toEqual(['keras-se-reduce-expand', 'fc1-fc2']);
  });

  it('skips tensors named like fc1/fc2 that are not an SE block (transformer MLP, wrong rank)', () => {
    const tensors = new Map([
      ...exportSEBlocks({ 'stages.0.se': blockOf(16, 4) }, 'fc1-fc2'),
      // ViT MLP: Linear, rank 2 — not what fc1-fc2 (Conv2d) stores.
      ['blocks.0.mlp.fc1.weight', { shape: [32, 8], values: new Float32Array(256) }],
      ['blocks.0.mlp.fc2.weight', { shape: [8, 32], values: new Float32Array(256) }],
      // ConvMlp: Conv2d 1×1 that widens 8 → 32: an MLP, not a squeeze.
      ['stages.1.mlp.fc1.weight', { shape: [32, 8, 1, 1], values: new Float32Array(256) }],
      ['stages.1.mlp.fc2.weight', { shape: [8, 32, 1, 1], values: new Float32Array(256) }],
    ]);
    const { blocks, report } = importSEBlocks(tensors, { preset: 'timm-seresnet' });
    expect([...blocks.keys()]).toEqual(['stages.0.se']);
    expect(report.skipped.map((s) => s.prefix)).toEqual(['blocks.0.mlp', 'stages.1.mlp']);
    expect(report.skipped[0]?.reason).toMatch(/rank 2/);
    expect(report.skipped[1]?.reason).toMatch(/widens 8 → 32/);
    expect(report.ignoredTensors).toContain('blocks.0.mlp.fc1.weight');
  });

  it('orders blocks as modules are numbered (features.2 before features.10)', () => {
    const tensors = exportSEBlocks(
      { 'features.10.se': blockOf(8, 2), 'features.2.se': blockOf(8, 2) },
      'fc1-fc2',
    );
    const sorted = new Map([...tensors].sort(([a], [b]) => (a < b ? -1 : 1)));
    expect([...importSEBlocks(sorted, { preset: 'timm-seresnet' }).blocks.keys()]).toEqual([
      'features.2.se',
      'features.10.se',
    ]);
  });

  it('accepts a custom convention object', () => {
    const linearFc = {
      ...NAMING_CONVENTIONS['fc1-fc2'],
      name: 'linear-fc1-fc2',
      layouts: ['oi'] as const,
    };
    const tensors = exportSEBlocks({ 'mlp.se': blockOf(8, 2) }, linearFc);
    expect(tensors.get('mlp.se.fc1.weight')?.shape).toEqual([2, 8]);
    const { blocks } = importSEBlocks(tensors, {
      convention: linearFc,
      activation: 'relu',
      gate: { type: 'sigmoid' },
    });
    expect(blocks.get('mlp.se')?.spec.excitation).toMatchObject({
      kind: 'mlp',
      reducedChannels: 2,
    });
  });
});

function blockOf(channels: number, reducedChannels: number): SEBlockInput {
  return {
    spec: {
      version: 1,
      channels,
      reducedChannels,
      squeeze: 'avg',
      activation: 'relu',
      gate: { type: 'sigmoid' },
      bias: true,
      gain: 1,
    },
    weights: {
      fc1Weight: new Float32Array(channels * reducedChannels).fill(0.25),
      fc1Bias: new Float32Array(reducedChannels).fill(0.5),
      fc2Weight: new Float32Array(channels * reducedChannels).fill(-0.25),
      fc2Bias: new Float32Array(channels).fill(1),
    },
  };
}
