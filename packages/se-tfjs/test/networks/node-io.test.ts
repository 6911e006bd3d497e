import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallCase } from '../../../se-core/test/fixtures/networks/load.js';
import { exportPyTorchStateDict, loadPyTorchStateDict } from '../../src/networks/index.js';
import { nodeFileSystem } from '../../src/node/index.js';
import { useBackend } from '../support/node-backends.js';

let directory: string;
beforeAll(async () => {
  await useBackend('cpu');
  directory = await mkdtemp(join(tmpdir(), 'seblock-node-io-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('nodeFileSystem: save and load a network model in plain Node (no tfjs-node)', () => {
  for (const arch of ['seresnext50_32x4d', 'mobilenet_v3_small', 'efficientnet_b0'] as const) {
    it(`${arch}: the reloaded model has the same weights, state_dict and logits`, async () => {
      const c = smallCase(arch);
      const model = loadPyTorchStateDict(c.network, c.stateDict, { inputLayout: 'NCHW' });
      const path = join(directory, arch);
      await model.save(nodeFileSystem(path));
      expect((await readdir(path)).sort()).toEqual(['model.json', 'weights.bin']);
      const again = await loadLayersModel(nodeFileSystem(path));
      expect(exportPyTorchStateDict(again)).toEqual(exportPyTorchStateDict(model));
      const x = tf.tensor4d(c.x, [...c.inputShape]);
      const [a, b] = [model.predict(x) as tf.Tensor, again.predict(x) as tf.Tensor];
      expect(b.dataSync()).toEqual(a.dataSync());
      tf.dispose([x, a, b]);
      model.dispose();
      again.dispose();
    });
  }

  it('fails with the path when there is no model', async () => {
    await expect(loadLayersModel(nodeFileSystem(join(directory, 'nothing')))).rejects.toThrow(
      /nothing/,
    );
  });
});
