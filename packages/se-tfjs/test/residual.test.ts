import {
  defineSESpec,
  type GoldenCase,
  pytorchHardSigmoid,
  SEShapeError,
  SESpecError,
} from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  disposeSETensors,
  SE_KERNEL_NAME,
  seBlock,
  seResidualBlock,
  toSETensors,
} from '../src/index.js';
import { randomBlock } from './support/blocks.js';
import { loadCases } from './support/golden.js';
import { nodeGoldenReader } from './support/golden-node.js';
import { NODE_BACKENDS, useBackend } from './support/node-backends.js';
import { normal, rng } from './support/random.js';
import {
  type ResidualResult,
  runResidualCase,
  shortcutFor,
  summariseResidual,
} from './support/residual.js';
import { syntheticCases } from './support/synthetic.js';

// seResidualBlock: y = act(SE(x) + shortcut) as one fused kernel on cpu and wasm, against the
// float64 reference on golden-like cases, against the composed relu(seBlock(x) + shortcut),
// NaN as PyTorch, errors before any kernel, no tensor left behind. Gradients:
// residual-gradients.test.ts.

const spec = defineSESpec({
  version: 2,
  channels: 16,
  squeeze: 'avgmax',
  excitation: { kind: 'mlp', reducedChannels: 4, activation: 'hardswish', bias: true },
  gate: pytorchHardSigmoid,
  gain: 2,
});

async function kernelsRun(f: () => tf.Tensor): Promise<string[]> {
  const info = await tf.profile(() => f());
  const names = info.kernels.map((k) => k.name).filter((name) => name !== 'unnamed scope');
  tf.dispose(info.result as tf.Tensor);
  return names;
}

let golden: GoldenCase[];
beforeAll(async () => {
  golden = await loadCases(nodeGoldenReader);
});

describe.each(NODE_BACKENDS)('seResidualBlock on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('runs as the one fused kernel, where the composed path runs the block, Add and Relu', async () => {
    const x = tf.tensor4d(normal(rng(1), 2 * 5 * 5 * 16), [2, 5, 5, 16]);
    const s = tf.tensor4d(normal(rng(2), 2 * 5 * 5 * 16), [2, 5, 5, 16]);
    const block = toSETensors(randomBlock(spec, 3));
    expect(await kernelsRun(() => seResidualBlock(x, s, block))).toEqual([SE_KERNEL_NAME]);
    const composed = await kernelsRun(() => seResidualBlock(x, s, block, { fused: false }));
    expect(composed).not.toContain(SE_KERNEL_NAME);
    expect(composed.slice(-2)).toEqual(['Add', 'Relu']);
    const identity = await kernelsRun(() =>
      seResidualBlock(x, s, block, { fused: false, activation: 'identity' }),
    );
    expect(identity.at(-1)).toBe('Add');
    disposeSETensors(block);
    tf.dispose([x, s]);
  });

  for (const activation of ['relu', 'identity'] as const) {
    it(`golden-like cases (${activation}): within the block's tolerance + 1 ULP of the float64 reference`, async () => {
      const before = tf.memory().numTensors;
      const cases = [...golden, ...syntheticCases()];
      const fused: ResidualResult[] = [];
      const composed: ResidualResult[] = [];
      for (const [i, testCase] of cases.entries()) {
        const shortcut = shortcutFor(testCase, 500 + i);
        fused.push(...(await runResidualCase(testCase, shortcut, activation, true)));
        composed.push(...(await runResidualCase(testCase, shortcut, activation, false)));
      }
      console.log(summariseResidual(`${backend} fused ${activation}`, fused));
      console.log(summariseResidual(`${backend} composed ${activation}`, composed));
      for (const r of fused)
        expect(r.ulps, `${r.name} ${r.layout}`).toBeLessThanOrEqual(r.tolerance);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('equals relu(seBlock(x) + shortcut) with the fused block (bit for bit on wasm: both float32)', async () => {
    for (const [i, testCase] of syntheticCases().entries()) {
      const [n, c, h, w] = testCase.shape;
      const x = tf.tensor4d(testCase.x, [n, c, h, w]);
      const s = tf.tensor4d(shortcutFor(testCase, 700 + i), [n, c, h, w]);
      const options = { layout: 'NCHW' } as const;
      const fused = seResidualBlock(x, s, testCase.block, options);
      const composed = tf.tidy(() => tf.relu(tf.add(seBlock(x, testCase.block, options), s)));
      const [a, b] = await Promise.all([fused.data(), composed.data()]);
      if (backend === 'wasm') expect(Array.from(a), `case ${i}`).toEqual(Array.from(b));
      else {
        // cpu rounds x · e + shortcut once from float64; the composed ops round twice.
        for (let k = 0; k < a.length; k++) {
          const tol =
            2 ** -22 * Math.max(Math.abs(b[k] as number), Math.abs(testCase.x[k] as number), 1e-30);
          expect(
            Math.abs((a[k] as number) - (b[k] as number)),
            `case ${i} [${k}]`,
          ).toBeLessThanOrEqual(tol);
        }
      }
      tf.dispose([x, s, fused, composed]);
    }
  });

  it('propagates NaN as PyTorch: a NaN in x reaches every output, one in the shortcut only its own', async () => {
    const small = defineSESpec({
      version: 2,
      channels: 2,
      excitation: { kind: 'mlp', reducedChannels: 1, activation: 'relu', bias: true },
      gate: { type: 'sigmoid' },
    });
    const block = randomBlock(small, 4);
    const x = tf.tensor4d([1, Number.NaN, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    const clean = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    const s = tf.tensor4d([-100, 0, 0, 0, 0, 0, 0, Number.NaN], [1, 2, 2, 2]);
    for (const fused of [true, false]) {
      const all = seResidualBlock(x, s, block, { layout: 'NCHW', fused });
      expect(Array.from(await all.data()).every(Number.isNaN), `fused ${fused}`).toBe(true);
      const one = await seResidualBlock(clean, s, block, { layout: 'NCHW', fused }).data();
      expect(one[0], 'relu of a negative sum').toBe(0);
      expect(Number.isNaN(one[7]), `relu(NaN) is NaN, fused ${fused}`).toBe(true);
      expect(Array.from(one.slice(1, 7)).every(Number.isFinite)).toBe(true);
      tf.dispose(all);
    }
    tf.dispose([x, clean, s]);
  });

  it('refuses a bad shortcut or activation with a se-core error before any kernel runs', () => {
    const block = randomBlock(spec, 5);
    const x = tf.zeros([1, 3, 3, 16]) as tf.Tensor4D;
    const wrongShape = tf.zeros([1, 3, 3, 8]) as tf.Tensor4D;
    const int = tf.zeros([1, 3, 3, 16], 'int32') as tf.Tensor4D;
    const disposed = tf.zeros([1, 3, 3, 16]) as tf.Tensor4D;
    disposed.dispose();
    const before = tf.memory().numTensors;
    const calls: [() => unknown, new (...args: never[]) => Error, RegExp][] = [
      [
        () => seResidualBlock(x, wrongShape, block),
        SEShapeError,
        /shortcut\.shape.*\[1, 3, 3, 16\]/,
      ],
      [() => seResidualBlock(x, int, block), SEShapeError, /shortcut\.dtype.*float32.*int32/],
      [() => seResidualBlock(x, disposed, block), SEShapeError, /shortcut.*disposed/],
      [() => seResidualBlock(x, [1, 2] as never, block), SEShapeError, /shortcut.*tf\.Tensor4D/],
      [
        () => seResidualBlock(x, x, block, { activation: 'gelu' as never }),
        SESpecError,
        /options\.activation.*"relu" or "identity".*gelu/,
      ],
    ];
    for (const [call, type, message] of calls) {
      expect(call).toThrow(type);
      expect(call).toThrow(message);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, wrongShape, int]);
  });

  it('1,000 calls (fused and composed) leave no tensor behind', () => {
    const block = toSETensors(randomBlock(spec, 6));
    const x = tf.tensor4d(normal(rng(7), 2 * 4 * 4 * 16), [2, 4, 4, 16]);
    const s = tf.tensor4d(normal(rng(8), 2 * 4 * 4 * 16), [2, 4, 4, 16]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) {
      tf.dispose([
        seResidualBlock(x, s, block),
        seResidualBlock(x, s, block, { fused: false, activation: 'identity' }),
      ]);
    }
    expect(tf.memory().numTensors).toBe(before);
    disposeSETensors(block);
    tf.dispose([x, s]);
  });
});
