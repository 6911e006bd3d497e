import { SEWeightFormatError } from '@seblock/se-core';
import type { DownloadProgress } from '@seblock/se-core/networks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtures } from '../../../se-core/test/fixtures/networks/http-server.js';
import { smallCase } from '../../../se-core/test/fixtures/networks/load.js';
import { loadNetworkFromUrl } from '../../src/networks/index.js';
import { useBackend } from '../support/node-backends.js';
import { compareWithPyTorch } from './support.js';

const c = smallCase('mobilenet_v3_small');
const config = new TextEncoder().encode(
  JSON.stringify({ architecture: 'mobilenet_v3_small', num_classes: 10 }),
);
let server: Awaited<ReturnType<typeof serveFixtures>>;

beforeAll(async () => {
  await useBackend('cpu');
  server = await serveFixtures({
    '/net/config.json': { body: config },
    '/net/model.safetensors': { body: c.stateDict },
    '/cut/config.json': { body: config },
    '/cut/model.safetensors': {
      body: c.stateDict.subarray(0, c.stateDict.length - 100),
      chunked: true,
    },
  });
});
afterAll(() => server.close());

describe('loadNetworkFromUrl (a local server on 127.0.0.1)', () => {
  it('downloads config.json and model.safetensors, reports progress, and gives PyTorch’s logits', async () => {
    const seen: DownloadProgress[] = [];
    const { model, network } = await loadNetworkFromUrl(`${server.url}/net`, {
      networkOptions: { widthMultiplier: 0.1 },
      inputLayout: 'NCHW',
      onProgress: (p) => seen.push(p),
    });
    expect(network.architecture).toBe('mobilenet_v3_small');
    expect(seen.at(-1)).toMatchObject({ received: c.stateDict.length, total: c.stateDict.length });
    const { error, tolerance } = await compareWithPyTorch(model, c);
    expect(error).toBeLessThanOrEqual(tolerance);
    model.dispose();
  });

  it('a download cut short without a Content-Length is caught by the safetensors sizes', async () => {
    await expect(
      loadNetworkFromUrl(`${server.url}/cut`, { networkOptions: { widthMultiplier: 0.1 } }),
    ).rejects.toThrow(SEWeightFormatError);
  });
});
