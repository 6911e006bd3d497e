import { defineSESpec, pytorchHardSigmoid, sigmoidGate } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { hasFusedSEKernel, SE_KERNEL_NAME, seBlock } from '../../src/index.js';
import { randomBlock } from '../support/blocks.js';
import { normal, rng } from '../support/random.js';
import { tryBackend } from './backends.js';

// The GPU fused kernels against the composed ops on the same backend, for every excitation
// kind: forward, gradients through it, and no texture left behind. Golden cases:
// conformance.test.ts.

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

describe.each(['webgl', 'webgpu'] as const)('fused kernel on %s (Chromium)', (backend) => {
  it('runs as one kernel, agrees with the composed ops, and so do its gradients', async (context) => {
    const unavailable = await tryBackend(backend);
    if (unavailable) context.skip(unavailable);
    expect(hasFusedSEKernel(backend)).toBe(true);
    // 5×3 fits one pooling chunk; 23×19 = 437 pixels spans four, the last one partial.
    const planes = [
      [5, 3],
      [23, 19],
    ] as const;
    for (const [i, spec] of specs.entries()) {
      for (const [layout, [h, w]] of (['NHWC', 'NCHW'] as const).flatMap((l) =>
        planes.map((p) => [l, p] as const),
      )) {
        const block = randomBlock(spec, 10 + i);
        const shape: [number, number, number, number] =
          layout === 'NHWC' ? [2, h, w, 12] : [2, 12, h, w];
        const x = tf.tensor4d(normal(rng(20 + i), 2 * h * w * 12), shape);
        const r = tf.tensor4d(normal(rng(30 + i), 2 * h * w * 12), shape);
        const before = tf.memory().numTensors;
        const profile = await tf.profile(() => seBlock(x, block, { layout }));
        expect(profile.kernels.map((k) => k.name)).toContain(SE_KERNEL_NAME);
        tf.dispose(profile.result as tf.Tensor);
        const run = (fused: boolean) => {
          const y = seBlock(x, block, { layout, fused });
          const g = tf.grad((input: tf.Tensor) =>
            tf.sum(tf.mul(seBlock(input as tf.Tensor4D, block, { layout, fused }), r)),
          )(x);
          return [y, g] as const;
        };
        const [yF, gF] = run(true);
        const [yC, gC] = run(false);
        const [a, b, ga, gb] = await Promise.all([yF.data(), yC.data(), gF.data(), gC.data()]);
        for (let k = 0; k < a.length; k++) {
          expect(Math.abs((a[k] as number) - (b[k] as number))).toBeLessThan(1e-5);
          expect(Math.abs((ga[k] as number) - (gb[k] as number))).toBeLessThan(1e-4);
        }
        tf.dispose([yF, gF, yC, gC]);
        expect(tf.memory().numTensors, `${layout} ${h}×${w} spec ${i}`).toBe(before);
        tf.dispose([x, r]);
      }
    }
  });
});
