import { SEWeightFormatError } from '@seblock/se-core';
import { type DownloadProgress, SEDownloadError } from '@seblock/se-core/networks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtures } from '../../../se-core/test/fixtures/networks/http-server.js';
import { loadNetworkSessionFromUrl } from '../../src/networks/index.js';
import { networkTolerance, smallCase, ulpsOfMaxLogit } from '../support/networks.js';

const c = smallCase('seresnet50');
const config = new TextEncoder().encode(
  JSON.stringify({ architecture: 'seresnet50', num_classes: c.network.numClasses }),
);
let server: Awaited<ReturnType<typeof serveFixtures>>;

beforeAll(async () => {
  server = await serveFixtures({
    '/net/config.json': { body: config },
    '/net/model.safetensors': { body: c.stateDict },
    '/cut/config.json': { body: config },
    '/cut/model.safetensors': {
      body: c.stateDict.subarray(0, c.stateDict.length - 64),
      chunked: true,
    },
  });
});
afterAll(() => server.close());

describe('loadNetworkSessionFromUrl (a local server on 127.0.0.1)', () => {
  it('downloads config.json and model.safetensors, reports progress, and gives PyTorch’s logits', async () => {
    const seen: DownloadProgress[] = [];
    const session = await loadNetworkSessionFromUrl(`${server.url}/net`, {
      runtime: 'node',
      networkOptions: c.network.options,
      onProgress: (p) => seen.push(p),
    });
    expect(session.config.architecture).toBe('seresnet50');
    expect(seen.at(-1)).toMatchObject({ received: c.stateDict.length, total: c.stateDict.length });
    const y = await session.runArray(c.x, c.inputShape);
    await session.release();
    expect(ulpsOfMaxLogit(y, c.y64)).toBeLessThanOrEqual(networkTolerance(c));
  });

  it('a missing file is an SEDownloadError naming the URL', async () => {
    const missing = loadNetworkSessionFromUrl(`${server.url}/nothing`, { runtime: 'node' });
    await expect(missing).rejects.toThrow(SEDownloadError);
    await expect(missing).rejects.toThrow('/nothing/config.json');
  });

  it('a download cut short is caught by the safetensors sizes, before a session opens', async () => {
    await expect(
      loadNetworkSessionFromUrl(`${server.url}/cut`, {
        runtime: 'node',
        networkOptions: c.network.options,
      }),
    ).rejects.toThrow(SEWeightFormatError);
  });
});
