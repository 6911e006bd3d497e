import { defineSESpec, pytorchHardSigmoid, type SEBlock, sigmoidGate } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  hasFusedSEKernel,
  SE_KERNEL_NAME,
  type SEBlockOptions,
  seBlock,
  seResidualBlock,
} from '../../src/index.js';
import { randomBlock } from '../support/blocks.js';
import { normal, rng } from '../support/random.js';
import { tryBackend } from './backends.js';

// The GPU fused kernels against the composed ops on the same backend, for every excitation
// kind, alone and as the residual unit act(SE(x) + shortcut): forward, gradients through it,
// and no texture left behind. Golden cases: se-conformance's one suite (test/golden.test.ts).

const specs = [
  defineSESpec({
    version: 1,
    channels: 12,
    reducedChannels: 4,
    squeeze: 'avgmax',
    activation: 'gelu',
    gate: pytorchHardSigmoid,
    bias: true,
    gain: 2,
  }),
  defineSESpec({
    version: 1,
    channels: 12,
    reducedChannels: 3,
    squeeze: 'max',
    activation: 'silu',
    gate: sigmoidGate,
    bias: false,
  }),
  defineSESpec({
    version: 2,
    channels: 12,
    squeeze: 'avgmax',
    excitation: { kind: 'ese', bias: true },
    gate: pytorchHardSigmoid,
  }),
  defineSESpec({
    version: 2,
    channels: 12,
    excitation: { kind: 'cbam', reducedChannels: 3, activation: 'relu6', bias: true },
    gate: sigmoidGate,
    gain: 2,
  }),
  defineSESpec({
    version: 2,
    channels: 12,
    squeeze: 'max',
    excitation: { kind: 'eca', kernelSize: 5 },
    gate: pytorchHardSigmoid,
  }),
];

/** How a test runs the block: seBlock, or seResidualBlock with a shortcut `s`. */
type Run = (
  x: tf.Tensor4D,
  s: tf.Tensor4D,
  block: SEBlock,
  options: SEBlockOptions,
  variant: number,
) => tf.Tensor4D;

/**
 * For every spec, layout and plane: the fused kernel runs (one kernel in the profile) and
 * agrees with the composed ops, and so do the gradients with respect to x and the shortcut;
 * no texture is left behind.
 */
async function expectFusedLikeComposed(run: Run): Promise<void> {
  // 5×3 fits one pooling chunk; 23×19 = 437 pixels spans four, the last one partial.
  const planes = [
    [5, 3],
    [23, 19],
  ] as const;
  let variant = 0;
  for (const [i, spec] of specs.entries()) {
    for (const [layout, [h, w]] of (['NHWC', 'NCHW'] as const).flatMap((l) =>
      planes.map((p) => [l, p] as const),
    )) {
      variant++;
      const block = randomBlock(spec, 10 + i);
      const shape: [number, number, number, number] =
        layout === 'NHWC' ? [2, h, w, 12] : [2, 12, h, w];
      const size = 2 * h * w * 12;
      const [x, r, s] = [20, 30, 40].map((seed) => tf.tensor4d(normal(rng(seed + i), size), shape));
      const before = tf.memory().numTensors;
      const profile = await tf.profile(() =>
        run(x as tf.Tensor4D, s as tf.Tensor4D, block, { layout }, variant),
      );
      expect(profile.kernels.map((k) => k.name)).toContain(SE_KERNEL_NAME);
      tf.dispose(profile.result as tf.Tensor);
      const forward = (fused: boolean) => {
        const y = run(x as tf.Tensor4D, s as tf.Tensor4D, block, { layout, fused }, variant);
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(
            tf.mul(
              run(a as tf.Tensor4D, b as tf.Tensor4D, block, { layout, fused }, variant),
              r as tf.Tensor,
            ),
          ),
        )([x as tf.Tensor, s as tf.Tensor]);
        return [y, ...g] as const;
      };
      const fused = forward(true);
      const composed = forward(false);
      const values = await Promise.all([...fused, ...composed].map((t) => t.data()));
      const tolerances = [1e-5, 1e-4, 1e-4];
      tolerances.forEach((tolerance, j) => {
        const [a, b] = [values[j], values[j + 3]] as [Float32Array, Float32Array];
        for (let k = 0; k < a.length; k++) {
          expect(Math.abs((a[k] as number) - (b[k] as number)), `output ${j} [${k}]`).toBeLessThan(
            tolerance,
          );
        }
      });
      tf.dispose([...fused, ...composed]);
      expect(tf.memory().numTensors, `${layout} ${h}×${w} spec ${i}`).toBe(before);
      tf.dispose([x as tf.Tensor, r as tf.Tensor, s as tf.Tensor]);
    }
  }
}

describe.each(['webgl', 'webgpu'] as const)('fused kernel on %s (Chromium)', (backend) => {
  it('runs as one kernel, agrees with the composed ops, and so do its gradients', async (context) => {
    const unavailable = await tryBackend(backend);
    if (unavailable) context.skip(unavailable);
    expect(hasFusedSEKernel(backend)).toBe(true);
    // The block alone: the shortcut is unused, its gradient zero on both paths.
    await expectFusedLikeComposed((x, s, block, options) =>
      tf.tidy(() => tf.add(seBlock(x, block, options), tf.mul(s, 0))),
    );
  });

  it('runs the residual unit act(SE(x) + shortcut) in the same kernel, as the composed ops do', async (context) => {
    const unavailable = await tryBackend(backend);
    if (unavailable) context.skip(unavailable);
    // Across the variants each layout and each plane sees both activations; all the calls of
    // one variant use the same.
    await expectFusedLikeComposed((x, s, block, options, variant) =>
      seResidualBlock(x, s, block, {
        ...options,
        activation: Math.floor(variant / 2) % 2 === 0 ? 'relu' : 'identity',
      }),
    );
  });
});
