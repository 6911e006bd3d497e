import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEImportError, SESpecError } from '../src/index.js';
import {
  type DownloadProgress,
  downloadBytes,
  fetchPretrained,
  SEDownloadError,
} from '../src/networks/index.js';
import { serveFixtures } from './fixtures/networks/http-server.js';
import { networkFixtureBytes } from './fixtures/networks/load.js';

const weights = networkFixtureBytes('seresnet50-small.safetensors');
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
let server: Awaited<ReturnType<typeof serveFixtures>>;

beforeAll(async () => {
  server = await serveFixtures({
    '/ok/config.json': { body: json({ architecture: 'seresnet50', num_classes: 10 }) },
    '/ok/model.safetensors': { body: weights },
    '/short/model.safetensors': { body: weights.subarray(0, 1000), announce: weights.length },
    '/unknown/config.json': { body: json({ architecture: 'vit_base_patch16_224' }) },
    '/broken/config.json': { body: new TextEncoder().encode('{ not json') },
    '/down/config.json': { body: new Uint8Array(0), status: 503 },
  });
});
afterAll(() => server.close());

describe('downloadBytes', () => {
  it('returns the bytes and reports progress up to the Content-Length', async () => {
    const seen: DownloadProgress[] = [];
    const bytes = await downloadBytes(`${server.url}/ok/model.safetensors`, {
      onProgress: (p) => seen.push(p),
    });
    expect(bytes).toEqual(weights);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toMatchObject({ received: weights.length, total: weights.length });
    expect(
      seen.every((p, i) => i === 0 || p.received >= (seen[i - 1] as DownloadProgress).received),
    ).toBe(true);
  });

  it('names the URL and status of an HTTP error', async () => {
    const url = `${server.url}/missing/model.safetensors`;
    const error = await downloadBytes(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SEDownloadError);
    expect(error).toMatchObject({ url, status: 404 });
    expect((error as Error).message).toContain('HTTP 404');
  });

  it('refuses a body shorter than its Content-Length', async () => {
    const error = await downloadBytes(`${server.url}/short/model.safetensors`).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SEDownloadError);
    expect((error as Error).message).toMatch(/broke off|truncated/);
  });
});

describe('fetchPretrained', () => {
  it('builds the architecture config.json names, with its number of classes', async () => {
    const {
      network,
      weights: got,
      config,
    } = await fetchPretrained(`${server.url}/ok/`, {
      networkOptions: { width: 1 / 64 },
    });
    expect(network).toMatchObject({
      architecture: 'seresnet50',
      numClasses: 10,
      options: { width: 1 / 64 },
    });
    expect(got).toEqual(weights);
    expect(config.num_classes).toBe(10);
  });

  it('says which config is wrong, and why', async () => {
    await expect(fetchPretrained(`${server.url}/unknown`)).rejects.toThrow(SESpecError);
    await expect(fetchPretrained(`${server.url}/broken`)).rejects.toThrow(SEImportError);
    await expect(fetchPretrained(`${server.url}/down`)).rejects.toMatchObject({ status: 503 });
  });
});
