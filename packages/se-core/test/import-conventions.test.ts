import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  type Activation,
  decodeSafetensors,
  EXPORT_METADATA_KEY,
  exportSEBlocks,
  exportSEBlocksToSafetensors,
  fromCanonicalWeight,
  type Gate,
  importSEBlocks,
  NAMING_CONVENTION_NAMES,
  NAMING_CONVENTIONS,
  type NamingConventionName,
  type SEBlock,
  SQUEEZE_MODES,
  toCanonicalWeight,
  WEIGHT_LAYOUTS,
} from '../src/index.js';

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
};

const gateArb: fc.Arbitrary<Gate> = fc.oneof(
  fc.constant<Gate>({ type: 'sigmoid' }),
  fc.record({
    type: fc.constant('hardsigmoid' as const),
    alpha: fc.constantFrom(1 / 6, 0.2),
    beta: fc.constant(0.5),
  }),
);

/** A random valid block: reducedChannels up to max(C, 8), as parseSESpec allows. */
function blockArb(float64: boolean): fc.Arbitrary<SEBlock> {
  return fc
    .record({
      channels: fc.integer({ min: 1, max: 24 }),
      rdFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      bias: fc.boolean(),
      activation: fc.constantFrom<Activation>(...ACTIVATIONS),
      gate: gateArb,
      squeeze: fc.constantFrom(...SQUEEZE_MODES),
      gain: fc.constantFrom(1, 2),
      seed: fc.integer({ min: 1, max: 1000 }),
    })
    .map(({ channels, rdFraction, bias, seed, ...behaviour }) => {
      const reducedChannels = 1 + Math.floor(rdFraction * (Math.max(channels, 8) - 1));
      let state = seed;
      const make = (n: number) => {
        const values = float64 ? new Float64Array(n) : new Float32Array(n);
        for (let i = 0; i < n; i++) {
          state = (state * 1103515245 + 12345) % 2147483648;
          values[i] = (state / 2147483648 - 0.5) * (float64 ? 1 + 1e-9 : 1);
        }
        return values;
      };
      return {
        spec: { version: 1, channels, reducedChannels, bias, ...behaviour },
        weights: {
          fc1Weight: make(reducedChannels * channels),
          fc2Weight: make(channels * reducedChannels),
          ...(bias ? { fc1Bias: make(reducedChannels), fc2Bias: make(channels) } : {}),
        },
      } satisfies SEBlock;
    });
}

describe.each(NAMING_CONVENTION_NAMES)(
  'convention %s: export then import is the identity',
  (name) => {
    const convention = NAMING_CONVENTIONS[name];
    const prefixes = PREFIXES[name];

    it('through a name → tensor map (values unchanged, float64 kept)', () => {
      fc.assert(
        fc.property(fc.array(blockArb(true), { minLength: 1, maxLength: 2 }), (list) => {
          const blocks = new Map(list.map((block, i) => [prefixes[i] as string, block]));
          const tensors = exportSEBlocks(blocks, name);
          for (const [prefix, block] of blocks) {
            const fc1 = tensors.get(`${prefix}${convention.separator}${convention.fc1Weight}`);
            expect(fc1?.shape.length).toBe(
              convention.layouts[0] === 'oihw' || convention.layouts[0] === 'hwio' ? 4 : 2,
            );
            expect(tensors.has(`${prefix}${convention.separator}${convention.fc2Bias}`)).toBe(
              block.spec.bias,
            );
          }
          const first = list[0] as SEBlock;
          // Give the behaviour explicitly: a plain map carries no metadata. Use a
          // single block so one behaviour fits all.
          const single = new Map([[prefixes[0] as string, first]]);
          const { blocks: again } = importSEBlocks(exportSEBlocks(single, name), {
            convention: name,
            activation: first.spec.activation,
            gate: first.spec.gate,
            squeeze: first.spec.squeeze,
            gain: first.spec.gain,
          });
          expect(again).toEqual(single);
        }),
        { numRuns: 40 },
      );
    });

    it('through safetensors bytes, which record the behaviour so no preset is needed', () => {
      fc.assert(
        fc.property(fc.array(blockArb(false), { minLength: 1, maxLength: 2 }), (list) => {
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
      const block = fc.sample(blockArb(false), { numRuns: 1, seed: 7 })[0] as SEBlock;
      const tensors = exportSEBlocks(new Map([['', block]]), name);
      expect(tensors.has(convention.fc1Weight)).toBe(true);
      const { blocks } = importSEBlocks(exportSEBlocksToSafetensors(new Map([['', block]]), name));
      expect(blocks).toEqual(new Map([['', block]]));
    });
  },
);

describe('exported files', () => {
  const block: SEBlock = {
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
    expect(report.conventions).toEqual(NAMING_CONVENTION_NAMES);
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
    expect(blocks.get('mlp.se')?.spec.reducedChannels).toBe(2);
  });
});

function blockOf(channels: number, reducedChannels: number): SEBlock {
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
