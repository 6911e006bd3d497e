import {
  accuracyOf,
  caseTolerance,
  defineSESpec,
  type SEBlock,
  seReference,
  seReferenceDetailed,
  sigmoidGate,
} from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { disposeSETensors, seBlock, toSETensors } from '../../src/index.js';
import { randomBlock } from '../support/blocks.js';
import { normal, rng } from '../support/random.js';
import { tryBackend } from './backends.js';

// The ResNet stage-4 block (8×2048×7×7, rd 128) that se-bench found wrong by 4.4e5 ULPs on
// webgpu's composed path. Cause: tfjs-backend-webgpu 4.22 picks MatMulSplitKProgram for a
// 2-D [M, K]·[K, N] product with K ≥ 2000 and few 32×32 output tiles (here M = 2…64 rows),
// and that program reads B as vec4 even when transposeB is true: with B = [N, K] it takes four
// consecutive K values of one row where it wants one K value of four rows. math/dense.ts.

const spec = defineSESpec({
  version: 2,
  channels: 2048,
  excitation: { kind: 'mlp', reducedChannels: 128, activation: 'relu', bias: true },
  gate: sigmoidGate,
});

/**
 * Gradients of L = Σ y·r in float64 for this spec (avg, ReLU, sigmoid, gain 1), NCHW: dL/dx and
 * dL/dW1, dL/dW2 in the canonical [out, in] layout.
 */
function gradients(block: SEBlock, x: Float32Array, r: Float32Array, shape: number[]) {
  const [n, c, h, w] = shape as [number, number, number, number];
  const plane = h * w;
  const rd = spec.excitation.reducedChannels;
  const { fc1Bias: b1 } = block.weights;
  const w1 = block.weights.fc1Weight as Float32Array;
  const w2 = block.weights.fc2Weight as Float32Array;
  const { avg: s, excitation: e } = seReferenceDetailed(spec, block.weights, x, shape);
  const at = (b: number, k: number, p: number) => (b * c + k) * plane + p;
  const gx = new Float64Array(x.length);
  const gw1 = new Float64Array(rd * c);
  const gw2 = new Float64Array(c * rd);
  for (let b = 0; b < n; b++) {
    const z1 = new Float64Array(rd);
    for (let j = 0; j < rd; j++) {
      let z = b1?.[j] as number;
      for (let k = 0; k < c; k++) z += (w1[j * c + k] as number) * (s[b * c + k] as number);
      z1[j] = z;
    }
    const gz1 = new Float64Array(rd);
    for (let k = 0; k < c; k++) {
      let ge = 0;
      for (let p = 0; p < plane; p++) ge += (r[at(b, k, p)] as number) * (x[at(b, k, p)] as number);
      const ek = e[b * c + k] as number;
      const gz2 = ge * ek * (1 - ek);
      for (let j = 0; j < rd; j++) {
        const hidden = Math.max(z1[j] as number, 0);
        gw2[k * rd + j] = (gw2[k * rd + j] as number) + gz2 * hidden;
        if (hidden > 0) gz1[j] = (gz1[j] as number) + gz2 * (w2[k * rd + j] as number);
      }
    }
    for (let k = 0; k < c; k++) {
      let gs = 0;
      for (let j = 0; j < rd; j++) {
        gs += (gz1[j] as number) * (w1[j * c + k] as number);
        gw1[j * c + k] = (gw1[j * c + k] as number) + (gz1[j] as number) * (s[b * c + k] as number);
      }
      for (let p = 0; p < plane; p++)
        gx[at(b, k, p)] = (r[at(b, k, p)] as number) * (e[b * c + k] as number) + gs / plane;
    }
  }
  return { x: gx, fc1Weight: gw1, fc2Weight: gw2 };
}

/** Largest |actual − expected| over the largest |expected|. */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let error = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    error = Math.max(error, Math.abs((actual[i] as number) - (expected[i] as number)));
    scale = Math.max(scale, Math.abs(expected[i] as number));
  }
  return error / scale;
}

// float32 gradients land within about 2e-7 (relative to the largest) of the float64 ones here;
// the split-K misread is off by 0.05 to 0.3.
const GRADIENT_TOLERANCE = 1e-5;

describe('webgpu, ResNet stage-4 block (Chromium)', () => {
  it('composed and fused, both weight layouts: y after a batch-1 run, and dL/dx, dW1, dW2', async (context) => {
    const unavailable = await tryBackend('webgpu');
    if (unavailable) {
      console.log(`[se-tfjs webgpu split-K] SKIPPED, ${unavailable}`);
      context.skip(unavailable);
    }
    const block = randomBlock(spec, 1);
    const layouts = [
      ['weight', toSETensors(block)],
      ['kernel', toSETensors(block, { layout: 'kernel' })],
    ] as const;
    const before = tf.memory().numTensors;
    const lines: string[] = [];
    const failures: string[] = [];
    const paths = layouts.flatMap(([layout, tensors]) =>
      [false, true].map((fused) => ({
        tensors,
        options: { layout: 'NCHW', fused } as const,
        name: `${fused ? 'fused' : 'composed'}, ${layout} layout`,
      })),
    );
    // Outputs at se-bench's shapes and in its order (batch 1 first, in the same page).
    for (const batch of [1, 8]) {
      const shape: [number, number, number, number] = [batch, 2048, 7, 7];
      const x = normal(rng(batch), batch * 2048 * 49);
      const expected = seReference(spec, block.weights, x, shape);
      const { ulps: tolerance } = caseTolerance({ block, x, shape });
      const xT = tf.tensor4d(x, shape);
      for (const { tensors, options, name } of paths) {
        const y = seBlock(xT, tensors, options);
        const ulps = accuracyOf(await y.data(), expected, x).worstUlp;
        y.dispose();
        const line = `${shape.join('×')} ${name}: y ${ulps.toFixed(2)} ULPs (tolerance ${tolerance.toFixed(2)})`;
        lines.push(line);
        if (!(ulps <= tolerance)) failures.push(line);
      }
      xT.dispose();
    }
    // Gradients: the backward products hit the same program (dL/dhidden = dL/dlogits · W2 is
    // [8, 2048]·[2048, 128]); H×W does not enter the choice, so 2×2 keeps this fast.
    const shape: [number, number, number, number] = [8, 2048, 2, 2];
    const x = normal(rng(8), 8 * 2048 * 4);
    const r = normal(rng(108), 8 * 2048 * 4);
    const expected = gradients(block, x, r, shape);
    const [xT, rT] = [tf.tensor4d(x, shape), tf.tensor4d(r, shape)];
    for (const { tensors, options, name } of paths) {
      // The weights as arguments, in [out, in] order whatever the layout, so TF.js differentiates them.
      const kernel = 'fc1Kernel' in tensors.weights;
      const [k1, k2] = kernel ? ['fc1Kernel', 'fc2Kernel'] : ['fc1Weight', 'fc2Weight'];
      const [fc1, fc2] = [tensors.weights[k1], tensors.weights[k2]] as tf.Tensor[];
      const grads = tf.grads((input, w1, w2) => {
        const block = { ...tensors, weights: { ...tensors.weights, [k1]: w1, [k2]: w2 } };
        return tf.sum(tf.mul(seBlock(input as tf.Tensor4D, block, options), rT));
      })([xT, fc1 as tf.Tensor, fc2 as tf.Tensor]);
      const canonical = kernel ? grads.map((g, i) => (i === 0 ? g : tf.transpose(g))) : grads;
      const [gx, gw1, gw2] = await Promise.all(canonical.map((g) => g.data()));
      tf.dispose([...grads, ...canonical]);
      for (const [what, actual, want] of [
        ['dL/dx', gx, expected.x],
        ['dL/dW1', gw1, expected.fc1Weight],
        ['dL/dW2', gw2, expected.fc2Weight],
      ] as const) {
        const error = relativeError(actual as Float32Array, want);
        const line = `${shape.join('×')} ${name}: ${what} relative error ${error.toExponential(2)} (tolerance ${GRADIENT_TOLERANCE})`;
        lines.push(line);
        if (!(error <= GRADIENT_TOLERANCE)) failures.push(line);
      }
    }
    tf.dispose([xT, rT]);
    console.log(`[se-tfjs webgpu split-K]\n  ${lines.join('\n  ')}`);
    expect(failures).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    for (const [, tensors] of layouts) disposeSETensors(tensors);
  });
});

describe('tfjs-backend-webgpu split-K with a transposed B (Chromium)', () => {
  it('still misreads B (fails when an upgrade fixes it: then math/dense.ts can go)', async (context) => {
    const unavailable = await tryBackend('webgpu');
    if (unavailable) context.skip(unavailable);
    const [m, n, k] = [8, 128, 2048];
    const a = normal(rng(1), m * k);
    const b = normal(rng(2), n * k, 1 / Math.sqrt(k));
    const exact = new Float64Array(m * n);
    // What the vec4 read of a transposed B computes: y[r][4q + j] = Σ a[r][i] · b[4q][4⌊i/4⌋ + j].
    const misread = new Float64Array(m * n);
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < n; c++) {
        const q = c - (c % 4);
        for (let i = 0; i < k; i++) {
          const ai = a[r * k + i] as number;
          exact[r * n + c] = (exact[r * n + c] as number) + ai * (b[c * k + i] as number);
          misread[r * n + c] =
            (misread[r * n + c] as number) + ai * (b[q * k + i - (i % 4) + (c % 4)] as number);
        }
      }
    }
    const [aT, bT] = [tf.tensor2d(a, [m, k]), tf.tensor2d(b, [n, k])];
    const y = tf.matMul(aT, bT, false, true);
    const actual = await y.data();
    tf.dispose([aT, bT, y]);
    console.log(
      `[se-tfjs webgpu split-K] tf.matMul([8, 2048], [128, 2048], false, true): relative error ` +
        `${relativeError(actual, exact).toExponential(2)} against the product, ` +
        `${relativeError(actual, misread).toExponential(2)} against the misread`,
    );
    expect(relativeError(actual, misread)).toBeLessThan(1e-5);
  });
});
