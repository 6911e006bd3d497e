import { seededCheckpoint } from '@seblock/se-core/networks';
import { describe, expect, it } from 'vitest';
import {
  FIXTURE_ARCHITECTURES,
  fullCase,
  NETWORK_FIXTURES,
} from '../../../se-core/test/fixtures/networks/load.js';
import { loadPyTorchStateDict } from '../../src/networks/index.js';
import { useBackend } from '../support/node-backends.js';
import { compareWithPyTorch } from './support.js';

// Full-size networks (1×3×224×224, 1000 classes) with the seeded weights PyTorch used. All of
// them on wasm; SE-ResNet-50 on cpu too (the cpu backend's convolutions are slow, about 20 s).
const CASES: [string, string][] = [
  ...FIXTURE_ARCHITECTURES.map((a): [string, string] => ['wasm', a]),
  ['cpu', 'seresnet50'],
];

describe('full-size networks equal PyTorch', () => {
  for (const [backend, arch] of CASES) {
    it(`${arch} on ${backend}`, { timeout: 240_000 }, async () => {
      await useBackend(backend);
      const c = fullCase(arch as never);
      const model = loadPyTorchStateDict(
        c.network,
        seededCheckpoint(c.network, NETWORK_FIXTURES.seed),
        {
          inputLayout: 'NCHW',
        },
      );
      const started = performance.now();
      const { error, tolerance, ulps, allowedUlps, shape } = await compareWithPyTorch(model, c);
      console.log(
        `[networks] ${backend} ${arch}: ${ulps.toFixed(2)} ULP of max|logit| (allowed ${allowedUlps.toFixed(2)}), forward ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      expect(shape).toEqual([1, 1000]);
      expect(error).toBeLessThanOrEqual(tolerance);
      model.dispose();
    });
  }
});
