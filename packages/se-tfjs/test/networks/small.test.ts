import { readCheckpoint } from '@seblock/se-core/networks';
import { describe, expect, it } from 'vitest';
import { FIXTURE_ARCHITECTURES, smallCase } from '../../../se-core/test/fixtures/networks/load.js';
import { exportPyTorchStateDict, loadPyTorchStateDict } from '../../src/networks/index.js';
import { hasFusedSEKernel } from '../../src/op/fused.js';
import { NODE_BACKENDS, useBackend } from '../support/node-backends.js';
import { compareWithPyTorch } from './support.js';

for (const backend of NODE_BACKENDS) {
  describe(`reduced-width networks on ${backend} equal PyTorch`, () => {
    for (const arch of FIXTURE_ARCHITECTURES) {
      it(arch, async () => {
        await useBackend(backend);
        const c = smallCase(arch);
        const model = loadPyTorchStateDict(c.network, c.stateDict, { inputLayout: 'NCHW' });
        // Only the networks entry point is imported here: building registers the fused kernels.
        expect(hasFusedSEKernel(backend)).toBe(true);
        const { error, tolerance, ulps, allowedUlps, shape } = await compareWithPyTorch(model, c);
        console.log(
          `[networks] ${backend} ${arch}-small: ${ulps.toFixed(2)} ULP of max|logit| (allowed ${allowedUlps.toFixed(2)})`,
        );
        expect(shape).toEqual([c.inputShape[0], 10]);
        expect(error).toBeLessThanOrEqual(tolerance);
        // Load → export gives the checkpoint's bytes back, tensor for tensor.
        const exported = readCheckpoint(exportPyTorchStateDict(model)).tensors;
        for (const [name, t] of readCheckpoint(c.stateDict).tensors) {
          expect(exported.get(name), name).toEqual(t);
        }
        model.dispose();
      });
    }
  });
}
