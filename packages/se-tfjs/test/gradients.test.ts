import { beforeAll, describe, expect, it } from 'vitest';
import { hasFusedSEKernel } from '../src/index.js';
import { describeSpec } from './support/blocks.js';
import {
  dataFor,
  expectFiniteDifferences,
  expectSameGradients,
  gradients,
  SPECS,
} from './support/gradient-check.js';
import { NODE_BACKENDS, useBackend } from './support/node-backends.js';

// Gradients of L = Σ y·r through seBlock, against finite differences of the float64
// seReference and between the fused kernel's hand-written backward pass and the composed
// ops' automatic one, for every excitation kind (support/gradient-check.ts).
const CASES = SPECS.flatMap((spec, i) =>
  (['NHWC', 'NCHW'] as const).map((layout) => [describeSpec(spec), layout, spec, i] as const),
);

// The fused kernel's hand-written backward pass and the composed ops' automatic one.
const PATHS = NODE_BACKENDS.flatMap((backend) =>
  (['fused', 'composed'] as const).map((path) => [backend, path] as const),
);

describe.each(PATHS)('gradients on %s, %s', (backend, path) => {
  beforeAll(() => useBackend(backend));

  it.each(CASES)(
    'd(Σ y·r)/d(x, weights) match finite differences: %s %s',
    async (_name, layout, spec, i) => {
      expect(hasFusedSEKernel()).toBe(true);
      const data = dataFor(spec, i, layout);
      expectFiniteDifferences(
        spec,
        data,
        layout,
        await gradients(spec, data, layout, path === 'fused'),
      );
    },
  );
});

describe.each(NODE_BACKENDS)('fused and composed gradients on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(CASES)('agree to float32 rounding: %s %s', async (_name, layout, spec, i) => {
    const data = dataFor(spec, i, layout);
    const fused = await gradients(spec, data, layout, true);
    expectSameGradients(fused, await gradients(spec, data, layout, false));
  });
});
