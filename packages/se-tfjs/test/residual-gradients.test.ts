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

// Gradients of L = Σ act(SE(x) + shortcut)·r through seResidualBlock, with respect to x, the
// shortcut and every weight: against finite differences of the float64 reference, and the
// fused kernel's backward pass against the composed relu(seBlock(x) + shortcut)'s, for every
// excitation kind.

const CASES = SPECS.flatMap((spec, i) =>
  (['NHWC', 'NCHW'] as const).flatMap((layout) =>
    (['relu', 'identity'] as const).map(
      (activation) => [describeSpec(spec), layout, activation, spec, i] as const,
    ),
  ),
);

const PATHS = NODE_BACKENDS.flatMap((backend) =>
  (['fused', 'composed'] as const).map((path) => [backend, path] as const),
);

describe.each(PATHS)('residual gradients on %s, %s', (backend, path) => {
  beforeAll(() => useBackend(backend));

  it.each(CASES)(
    'd(Σ out·r)/d(x, shortcut, weights) match finite differences: %s %s %s',
    async (_name, layout, activation, spec, i) => {
      expect(hasFusedSEKernel()).toBe(true);
      const residual = { activation };
      const data = dataFor(spec, i, layout, residual);
      const got = await gradients(spec, data, layout, path === 'fused', residual);
      expect(got.length).toBe(2 + data.names.length);
      expectFiniteDifferences(spec, data, layout, got, residual);
    },
  );
});

describe.each(NODE_BACKENDS)('fused and composed residual gradients on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(CASES)(
    'agree to float32 rounding: %s %s %s',
    async (_name, layout, activation, spec, i) => {
      const residual = { activation };
      const data = dataFor(spec, i, layout, residual);
      const fused = await gradients(spec, data, layout, true, residual);
      expectSameGradients(fused, await gradients(spec, data, layout, false, residual));
    },
  );
});
