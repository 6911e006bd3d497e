import type { ArchitectureName } from '@seblock/se-core/networks';
import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import {
  type NetworkFixtureIndex,
  smallCaseFrom,
} from '../../../se-core/test/fixtures/networks/cases.js';
import { loadPyTorchStateDict } from '../../src/networks/index.js';
import { hasFusedSEKernel } from '../../src/op/fused.js';
import { compareWithPyTorch } from '../networks/support.js';
import { BROWSER_BACKENDS, tryBackend } from './backends.js';

// The reduced-width twins of every network on the browser backends, against PyTorch float64,
// with the Node tests' tolerance (4 ULPs of max |logit| + twice PyTorch's own float32 error).
const DIR = '../se-core/test/fixtures/networks/';

async function bytes(file: string): Promise<Uint8Array> {
  const binary = atob(await commands.readFile(DIR + file, 'base64'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

const index: NetworkFixtureIndex = JSON.parse(await commands.readFile(`${DIR}index.json`, 'utf8'));
const architectures = Object.keys(index.networks) as ArchitectureName[];

describe.each(BROWSER_BACKENDS.filter((b) => b !== 'cpu'))(
  'reduced-width networks on %s (Chromium)',
  (backend) => {
    it.for(architectures)('%s equals PyTorch', async (arch, context) => {
      const unavailable = await tryBackend(backend);
      if (unavailable) {
        console.log(`[networks] ${backend}: SKIPPED, ${unavailable}`);
        context.skip(unavailable);
      }
      const c = smallCaseFrom(
        index,
        arch,
        await bytes(`${arch}-small.expected.safetensors`),
        await bytes(`${arch}-small.safetensors`),
      );
      const model = loadPyTorchStateDict(c.network, c.stateDict, { inputLayout: 'NCHW' });
      // Building registered the fused kernels: SE blocks and residual steps run them.
      expect(hasFusedSEKernel(backend)).toBe(true);
      const { error, tolerance, ulps, allowedUlps } = await compareWithPyTorch(model, c);
      console.log(
        `[networks] ${backend} ${arch}-small: ${ulps.toFixed(2)} ULP of max|logit| (allowed ${allowedUlps.toFixed(2)})`,
      );
      model.dispose();
      expect(error).toBeLessThanOrEqual(tolerance);
    });
  },
);
