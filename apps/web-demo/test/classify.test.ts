import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pairwiseBoundUlps } from 'demo-imagenet';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { chromiumUnavailableReason } from '../../../tooling/chromium.js';
import {
  checkAgainstPyTorch,
  PYTORCH_SAMPLE,
} from '../../demo-imagenet/test/support/pytorch-sample.js';
import type { ClassifyPageState } from '../src/classify/state.js';
import { launchChromium, OUTPUT, sharedChromium, watchPage } from './support/browser.js';

const ALL = ['tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-webgpu', 'ort-wasm', 'ort-webgpu'];
const SAMPLE_JPEG = fileURLToPath(import.meta.resolve('demo-imagenet/samples/sample.jpg'));

const stateOf = async (page: Page) =>
  (await page.evaluate(
    () => (globalThis as { __classify?: unknown }).__classify,
  )) as ClassifyPageState;

/** Waits until the page has classified `rounds` images (or failed), and returns its state. */
async function classified(page: Page, rounds: number, timeout: number): Promise<ClassifyPageState> {
  await page.waitForFunction(
    (n) =>
      document.body.dataset.phase === 'error' ||
      (document.body.dataset.phase === 'done' && Number(document.body.dataset.rounds) >= n),
    rounds,
    { timeout, polling: 500 },
  );
  const state = await stateOf(page);
  expect(state.error, 'the page failed').toBeUndefined();
  return state;
}

const answersOf = (state: ClassifyPageState) =>
  state.backends
    .filter((b) => b.logits)
    .map((b) => ({ backend: b.label, logits: Float32Array.from(b.logits ?? []) }));

const missing = chromiumUnavailableReason();
if (missing) console.warn(`[web-demo] classify page test skipped: ${missing}`);

describe.skipIf(Boolean(missing))('the classify page in Chromium', () => {
  const base = inject('webDemoUrl');
  const browser = sharedChromium();

  it('loads the checkpoint by URL and classifies the sample on all six backends as PyTorch does', {
    timeout: 600_000,
  }, async (context) => {
    const page = await browser().newPage({ viewport: { width: 1280, height: 1000 } });
    const watched = watchPage(page, base);
    const started = performance.now();
    await page.goto(new URL('classify.html', base).href);
    const state = await classified(page, 1, 540_000);
    const seconds = (performance.now() - started) / 1000;

    // The checkpoint came through the URL loader, with the progress bar filled.
    expect(state.checkpoint).toMatchObject({
      architecture: 'seresnet50',
      numClasses: 1000,
      seeded: true,
    });
    expect(state.checkpoint?.url).toBe(new URL('checkpoints/seresnet50-seeded/', base).href);
    expect(await page.locator('#download').evaluate((e) => (e as HTMLProgressElement).value)).toBe(
      1,
    );
    expect(await page.locator('#seeded-note').isVisible()).toBe(true);
    expect(state.image).toMatchObject({
      name: 'sample.png',
      format: 'PNG',
      width: 384,
      height: 288,
    });

    // Every backend of this machine ran (WebGPU on Dawn's CPU adapter, WebGL on SwiftShader).
    for (const b of state.backends) expect(b.status, `${b.label}: ${b.reason}`).toBe('done');
    expect(state.backends.map((b) => b.id)).toEqual(ALL);
    const report = checkAgainstPyTorch(answersOf(state));
    process.stdout.write(
      `[web-demo] classify: ${seconds.toFixed(0)} s; ${state.backends
        .map(
          (b) =>
            `${b.label} load ${((b.loadMs ?? 0) / 1000).toFixed(1)} s run ${((b.runMs ?? 0) / 1000).toFixed(1)} s`,
        )
        .join(
          ', ',
        )}\n[web-demo] vs PyTorch float64 (allowed ${report.toleranceUlps.toFixed(1)} ULPs): ${report.vsPyTorch
        .map((b) => `${b.backend} ${b.ulps.toFixed(2)}`)
        .join(
          ', ',
        )}; worst pair ${Math.max(...report.pairs.map((p) => p.ulps)).toFixed(2)} (allowed ${report.pairwiseBoundUlps.toFixed(1)})\n`,
    );
    expect(report.problems).toEqual([]);
    for (const b of state.backends)
      expect(
        b.top?.map((c) => c.index),
        b.label,
      ).toEqual(PYTORCH_SAMPLE.top5);

    // What a person sees: the answer, six rows of five chips, the 6 × 6 matrix, the verdict.
    expect(await page.locator('#answer').textContent()).toBe(state.backends[0]?.top?.[0]?.name);
    expect(await page.locator('#results tbody tr[data-status="done"] .chip').count()).toBe(30);
    expect(await page.locator('#results .chip.differs').count()).toBe(0);
    expect(await page.locator('#matrix td.cell').count()).toBe(30);
    expect(await page.locator('#verdict').textContent()).toMatch(
      /^6 backends agree: .+ first, the same top-5\./,
    );

    expect(watched.outside).toEqual([]);
    expect(watched.errors).toEqual([]);
    const screenshot = join(OUTPUT, 'classify.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    await context.annotate('the sample on six backends', {
      path: screenshot,
      contentType: 'image/png',
    });
    await page.close();
  });

  it('classifies a JPEG the user picks, and says so when a dropped file is not an image', {
    timeout: 240_000,
  }, async () => {
    const page = await browser().newPage({ viewport: { width: 1280, height: 1000 } });
    const watched = watchPage(page, base);
    await page.goto(new URL('classify.html?backends=tfjs-wasm,ort-wasm', base).href);
    await classified(page, 1, 180_000);

    await page.locator('#file').setInputFiles(SAMPLE_JPEG);
    const state = await classified(page, 2, 180_000);
    expect(state.image).toMatchObject({
      name: 'sample.jpg',
      format: 'JPEG',
      width: 384,
      height: 288,
    });
    expect(state.backends.map((b) => [b.id, b.status])).toEqual([
      ['tfjs-wasm', 'done'],
      ['ort-wasm', 'done'],
    ]);
    const [pair] = state.pairs;
    expect(pair?.sameTop1).toBe(true);
    expect(pair?.ulps).toBeLessThanOrEqual(
      pairwiseBoundUlps(PYTORCH_SAMPLE.torch_float32_error_ulps),
    );

    // Dropped on the drop zone, as a person drags a file from their desktop.
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['hello, world'], 'notes.txt', { type: 'text/plain' }));
      document
        .querySelector('#drop')
        ?.dispatchEvent(
          new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
    });
    await expect
      .poll(() => page.locator('#image-error').textContent())
      .toMatch(
        /^notes\.txt: expected an image \(PNG, JPEG, or a format this browser decodes\), received 12 bytes it cannot decode/,
      );
    // The last classification stays on the page.
    expect((await stateOf(page)).image?.name).toBe('sample.jpg');
    expect(watched.errors).toEqual([]);
    await page.close();
  });

  it('says why the WebGPU backends cannot run where WebGPU is missing', {
    timeout: 240_000,
  }, async (context) => {
    const noGpu = await launchChromium({ webgpu: false });
    try {
      const page = await noGpu.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(new URL('classify.html?backends=tfjs-webgpu,ort-wasm,ort-webgpu', base).href);
      const state = await classified(page, 1, 180_000);
      const byId = Object.fromEntries(state.backends.map((b) => [b.id, b]));
      expect(byId['ort-wasm']?.status).toBe('done');
      for (const id of ['tfjs-webgpu', 'ort-webgpu']) {
        expect(byId[id]?.status, id).toBe('skipped');
        expect(byId[id]?.reason, id).toMatch(/WebGPU|navigator\.gpu/);
        expect(await page.locator(`#results tr[data-backend="${id}"]`).textContent()).toMatch(
          /skipped: /,
        );
      }
      const screenshot = join(OUTPUT, 'classify-no-webgpu.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      await context.annotate('without WebGPU: the two WebGPU rows say why', {
        path: screenshot,
        contentType: 'image/png',
      });
    } finally {
      await noGpu.close();
    }
  });
});
