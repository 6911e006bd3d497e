import { describe, expect, it } from 'vitest';
import { maxRelativeError } from '../src/cli/compare.js';
import {
  IMPORT_PRESETS,
  importSEBlocks,
  type MlpWeights,
  resolveReducedChannels,
  type SEBlock,
  seReference,
  type TensorLike,
  tensorMapFromEntries,
} from '../src/index.js';
import { expectedOutputs, FIXTURES, fixtureBytes } from './fixtures/import/load.js';

// PyTorch computes y in float64 from the same float32 weights and x, so the
// only differences are summation order and x/6 + 0.5 vs (x + 3) / 6: ~1e-16.
const TOLERANCE = 1e-12;

describe('importSEBlocks on real state_dicts (fixtures from PyTorch)', () => {
  let worst = 0;

  for (const c of FIXTURES.cases) {
    describe(c.name, () => {
      const { blocks, report } = importSEBlocks(fixtureBytes(c.file), {
        preset: c.preset,
        ...(c.squeeze ? { squeeze: c.squeeze } : {}),
      });

      it('finds exactly the SE blocks, in module order, with shapes inferred', () => {
        expect([...blocks.keys()]).toEqual(Object.keys(c.blocks));
        for (const [prefix, want] of Object.entries(c.blocks)) {
          const spec = blocks.get(prefix)?.spec;
          const excitation = spec?.excitation as {
            reducedChannels?: number;
            bias?: boolean;
            activation?: string;
          };
          expect({
            channels: spec?.channels,
            reducedChannels: excitation?.reducedChannels,
            bias: excitation?.bias,
          }).toEqual(want);
          const preset = IMPORT_PRESETS[c.preset];
          expect(excitation?.activation).toBe(preset.activation);
          expect(spec?.gate).toEqual(preset.gate);
          expect(spec?.squeeze).toBe(c.squeeze ?? 'avg');
        }
      });

      it('ignores the non-SE tensors', () => {
        expect(report.ignoredTensors).toEqual(c.ignored);
        expect(report.skipped).toEqual([]);
      });

      it('reproduces PyTorch float64 within 1e-12 relative for every block', () => {
        for (const { prefix, x, y } of expectedOutputs(c)) {
          const block = blocks.get(prefix);
          if (!block) throw new Error(`no block ${prefix}`);
          const ours = seReference(block.spec, block.weights, x.values, x.shape);
          const error = maxRelativeError(ours, y.values);
          worst = Math.max(worst, error);
          expect(error, `${c.name} ${prefix}`).toBeLessThanOrEqual(TOLERANCE);
        }
      });
    });
  }

  it('agrees with the reduction rules of spec/reduction.ts where the preset has one', () => {
    for (const c of FIXTURES.cases) {
      const rule = (
        IMPORT_PRESETS[c.preset] as { reduction?: Parameters<typeof resolveReducedChannels>[1] }
      ).reduction;
      if (!rule) continue;
      const { report } = importSEBlocks(fixtureBytes(c.file), { preset: c.preset });
      expect(report.warnings, c.name).toEqual([]);
      for (const b of report.blocks) {
        expect(
          (b.spec.excitation as { reducedChannels: number }).reducedChannels,
          `${c.name} ${b.prefix}`,
        ).toBe(resolveReducedChannels(b.spec.channels, rule));
      }
    }
  });

  it('reports the worst error against PyTorch', () => {
    // Visible in the test log; the assertion above is what gates.
    console.info(
      `importer → seReference vs PyTorch float64: worst relative error ${worst.toExponential(2)}`,
    );
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  });
});

/** Canonical [out, in] → [in, out] (Keras Dense; also the bytes of a [1, 1, in, out] Conv2D kernel). */
function toInOut(values: ArrayLike<number>, out: number, inChannels: number): Float32Array {
  const result = new Float32Array(out * inChannels);
  for (let o = 0; o < out; o++)
    for (let i = 0; i < inChannels; i++) result[i * out + o] = values[o * inChannels + i] as number;
  return result;
}

/** Keras-named weights of `blocks`, as a TF.js model would hand them over. */
function kerasWeights(
  blocks: Map<string, SEBlock>,
  { suffix = '', dense = false } = {},
): Map<string, TensorLike> {
  const tensors = new Map<string, TensorLike>();
  for (const [prefix, { spec, weights: any }] of blocks) {
    const weights = any as MlpWeights;
    const c = spec.channels;
    const rd = (spec.excitation as { reducedChannels: number }).reducedChannels;
    tensors.set(`${prefix}_se_reduce/kernel${suffix}`, {
      shape: dense ? [c, rd] : [1, 1, c, rd],
      values: toInOut(weights.fc1Weight, rd, c),
    });
    tensors.set(`${prefix}_se_reduce/bias${suffix}`, {
      shape: [rd],
      values: weights.fc1Bias as Float32Array,
    });
    tensors.set(`${prefix}_se_expand/kernel${suffix}`, {
      shape: dense ? [rd, c] : [1, 1, rd, c],
      values: toInOut(weights.fc2Weight, c, rd),
    });
    tensors.set(`${prefix}_se_expand/bias${suffix}`, {
      shape: [c],
      values: weights.fc2Bias as Float32Array,
    });
  }
  return tensors;
}

describe('importSEBlocks on a TF.js-style weight map', () => {
  const keras = FIXTURES.cases.find((c) => c.preset === 'keras-efficientnet');
  if (!keras) throw new Error('keras-efficientnet fixture missing');
  const file = importSEBlocks(fixtureBytes(keras.file), { preset: 'keras-efficientnet' });

  it('builds the same map the file holds (the helper below is trustworthy)', () => {
    const again = importSEBlocks(kerasWeights(file.blocks), { preset: 'keras-efficientnet' });
    expect(again.blocks).toEqual(file.blocks);
  });

  it('reads names with the ":0" suffix of Keras h5 / TF checkpoints, reporting the names as given', () => {
    const again = importSEBlocks(kerasWeights(file.blocks, { suffix: ':0' }), {
      preset: 'keras-efficientnet',
    });
    expect(again.blocks).toEqual(file.blocks);
    expect(again.report.blocks[0]?.tensors[0]).toBe('block1a_se_reduce/kernel:0');
  });

  it('reads Dense kernels [in, out] as well as Conv2D kernels [1, 1, in, out]', () => {
    const dense = importSEBlocks(kerasWeights(file.blocks, { dense: true }), {
      preset: 'keras-efficientnet',
    });
    expect(dense.blocks).toEqual(file.blocks);
    expect(dense.report.blocks.map((b) => b.layout)).toEqual(['io', 'io', 'io']);
    expect(file.report.blocks.map((b) => b.layout)).toEqual(['hwio', 'hwio', 'hwio']);
  });

  it('accepts tensorMapFromEntries input, e.g. from model.weights', () => {
    const entries = [...kerasWeights(file.blocks)].map(([name, t]) => ({ name, ...t }));
    expect(
      importSEBlocks(tensorMapFromEntries(entries), { preset: 'keras-efficientnet' }).blocks,
    ).toEqual(file.blocks);
  });
});
