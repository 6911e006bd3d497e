import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decodeSEBundle,
  EXCITATION_KIND_NAMES,
  type ExcitationKindName,
  SESpecError,
} from '@seblock/se-core';
import { listGoldenCases } from '@seblock/se-core/node';
import { buildSEModel } from '@seblock/se-onnxruntime';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { chromiumUnavailableReason } from '../../../tooling/chromium.js';
import type { DemoState } from '../src/main.js';
import { launchChromium, OUTPUT, sharedChromium, watchPage } from './support/browser.js';

const BACKENDS = ['cpu', 'wasm', 'webgl', 'webgpu'] as const;
const MODELS = fileURLToPath(new URL('../public/models/', import.meta.url));

/**
 * Why se-onnxruntime cannot build each block of `kind`'s model (a kind it does not write yet),
 * by block name: what the page must report instead of a difference. Asked of the package itself.
 */
async function refusals(kind: ExcitationKindName): Promise<Map<string, string>> {
  const bundle = decodeSEBundle(
    new Uint8Array(await readFile(join(MODELS, kind, 'se-blocks.safetensors'))),
  );
  const out = new Map<string, string>();
  for (const [name, block] of bundle) {
    try {
      buildSEModel(block, { layout: 'NHWC' });
    } catch (error) {
      if (!(error instanceof SESpecError)) throw error;
      out.set(name, error.message);
    }
  }
  return out;
}

/**
 * Each block card: one chart per squeeze descriptor and one for the excitation, one bar per
 * channel; onnxruntime-web wasm and webgpu within 1e-5 of TF.js, or, for a block
 * se-onnxruntime cannot build, its reason.
 */
async function expectBlockCards(
  page: Page,
  state: DemoState,
  refused: ReadonlyMap<string, string>,
): Promise<void> {
  for (const block of state.blocks) {
    const card = page.locator(`.block[data-block="${block.name}"]`);
    const charts = card.locator('svg.chart');
    expect(await charts.count()).toBe(block.descriptors + 1);
    for (let i = 0; i <= block.descriptors; i++)
      expect(await charts.nth(i).locator('rect').count()).toBe(block.channels);
    for (const provider of ['wasm', 'webgpu']) {
      const result = block.ort[provider];
      const where = `${block.name} on ${provider}`;
      expect(result?.error, where).toBeUndefined();
      const refusal = refused.get(block.name);
      if (refusal !== undefined) {
        expect(result?.unsupported?.startsWith(refusal.slice(0, 200)), where).toBe(true);
        expect(await card.locator(`tr[data-provider="${provider}"]`).textContent()).toContain(
          'cannot build this block',
        );
      } else expect(result?.maxAbsDifference, where).toBeLessThan(1e-5);
    }
  }
}

const missing = chromiumUnavailableReason();
if (missing) console.warn(`[web-demo] end-to-end test skipped: ${missing}`);

/** Draws with the mouse on the pad: a list of strokes, each a list of points in [0, 1]². */
async function draw(page: Page, strokes: readonly (readonly [number, number])[][]): Promise<void> {
  const box = await page.locator('#pad').boundingBox();
  if (!box) throw new Error('the drawing pad is not visible');
  for (const stroke of strokes) {
    const [first, ...rest] = stroke;
    if (!first) continue;
    await page.mouse.move(box.x + first[0] * box.width, box.y + first[1] * box.height);
    await page.mouse.down();
    for (const [x, y] of rest)
      await page.mouse.move(box.x + x * box.width, box.y + y * box.height, { steps: 4 });
    await page.mouse.up();
  }
}

/** A "7": a bar across the top, then a long diagonal down to the left. */
const SEVEN: [number, number][][] = [
  [
    [0.28, 0.24],
    [0.5, 0.23],
    [0.72, 0.24],
    [0.6, 0.45],
    [0.5, 0.62],
    [0.42, 0.8],
  ],
];

describe.skipIf(Boolean(missing))(
  'web demo in Chromium (built with Vite, served by vite preview)',
  () => {
    // Built and served once for the project by test/support/global-setup.ts.
    const base = inject('webDemoUrl');
    const browser = sharedChromium();

    it('classifies a digit drawn with the mouse the same on every backend, and charts the SE blocks', async (context) => {
      const page = await browser().newPage({ viewport: { width: 1280, height: 1100 } });
      const watched = watchPage(page, base);
      await page.goto(base);
      await page.waitForSelector('body[data-ready="true"], body[data-error="true"]', {
        timeout: 90_000,
      });
      expect(await page.locator('#status').textContent()).toMatch(/^Ready/);

      await page.locator('#clear').click();
      const before = Number(await page.getAttribute('body', 'data-classifications'));
      await draw(page, SEVEN);
      await expect
        .poll(async () => Number(await page.getAttribute('body', 'data-classifications')), {
          timeout: 30_000,
        })
        .toBeGreaterThan(before);
      // Let the classification of the finished drawing land.
      await page.waitForFunction(
        () =>
          !document.querySelector(
            '#backends tbody tr[data-backend]:not([data-class]):not(.unavailable)',
          ),
      );
      await page.waitForTimeout(300);
      const state = (await page.evaluate(
        () => (globalThis as { __webDemo?: unknown }).__webDemo,
      )) as DemoState;

      // Every backend of this machine ran (WebGPU on Dawn's CPU adapter) and gave the same class.
      for (const name of BACKENDS)
        expect(state.backends[name]?.available, `${name}: ${state.backends[name]?.reason}`).toBe(
          true,
        );
      const classes = new Set(BACKENDS.map((name) => state.backends[name]?.predicted));
      expect(classes.size, JSON.stringify(state.backends)).toBe(1);
      for (const name of BACKENDS)
        expect(state.backends[name]?.maxAbsDifferenceFromReference).toBeLessThan(1e-4);
      expect(await page.locator('#agreement').textContent()).toMatch(/^All 4 backends predict \d/);

      // The SE blocks (the SE MLP by default): squeeze and excitation charts with one bar per
      // channel, and onnxruntime-web (wasm and webgpu) giving TF.js' output.
      expect(state.kind).toBe('mlp');
      expect(state.blocks.map((b) => b.name)).toEqual(['layer1_se', 'layer2_se']);
      await expectBlockCards(page, state, await refusals('mlp'));
      expect(await page.locator('#probabilities svg.chart rect').count()).toBe(10);

      // Nothing came from outside the local server.
      expect(watched.outside).toEqual([]);
      expect(watched.errors).toEqual([]);

      const screenshot = join(OUTPUT, 'draw.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      await context.annotate(
        `digit drawn with the mouse: ${[...classes][0]} on ${BACKENDS.join(', ')}`,
        { path: screenshot, contentType: 'image/png' },
      );
      process.stdout.write(
        `[web-demo] ${BACKENDS.map((b) => `${b} ${state.backends[b]?.milliseconds?.toFixed(1)} ms`).join(', ')}; ${state.blocks
          .map(
            (b) =>
              `${b.name} ort ${Object.entries(b.ort)
                .map(
                  ([p, r]) =>
                    `${p} Δ${r.maxAbsDifference?.toExponential(1)} ${r.milliseconds?.toFixed(1)} ms`,
                )
                .join(' ')}`,
          )
          .join('; ')}\n`,
      );
      await page.close();
    });

    it('runs the se-conformance suite in the page and shows its matrix', async (context) => {
      const page = await browser().newPage({ viewport: { width: 1280, height: 1000 } });
      const { errors } = watchPage(page, base);
      await page.goto(new URL('conformance.html', base).href);
      await page.waitForSelector('body[data-done="true"], body[data-error="true"]', {
        timeout: 110_000,
      });
      const verdict = (await page.locator('#verdict').textContent()) ?? '';
      process.stdout.write(`[web-demo] conformance: ${verdict}\n`);
      // A failing verdict names its cells here, so the log says which backend and case.
      const failing = await page.evaluate(() =>
        (
          (
            globalThis as {
              __conformance?: {
                cells: {
                  caseId: string;
                  backend: string;
                  status: string;
                  message?: string;
                  metrics?: { worstUlp: number; toleranceUlps: number };
                }[];
              };
            }
          ).__conformance?.cells ?? []
        ).filter((c) => c.status === 'fail' || c.status === 'error'),
      );
      for (const c of failing)
        process.stdout.write(
          `[web-demo] conformance ${c.status}: ${c.backend} ${c.caseId}: ${c.message ?? `${c.metrics?.worstUlp} ULPs, allowed ${c.metrics?.toleranceUlps}`}\n`,
        );
      // Every golden case se-core ships, on the seven backends of this browser.
      const cases = (await listGoldenCases()).length;
      expect(verdict).toMatch(new RegExp(`^PASS: ${cases} cases on 7 backends`));
      const frame = page.frameLocator('#conformance-frame');
      // se-conformance's own HTML report: one cell per case and backend.
      expect(await frame.locator('#matrix td.cell').count()).toBe(cases * 7);
      expect(await frame.locator('#matrix td.cell.fail, #matrix td.cell.error').count()).toBe(0);
      // SwiftShader renders float32: WebGL is held to float32 tolerances, not float16's.
      const precision = await page.evaluate(
        () =>
          (
            globalThis as {
              __conformance?: { backends: { key: string; measuredPrecision?: string }[] };
            }
          ).__conformance?.backends.find((b) => b.key === 'tfjs-webgl')?.measuredPrecision,
      );
      expect(precision).toBe('float32');
      expect(errors).toEqual([]);
      const screenshot = join(OUTPUT, 'conformance.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      await context.annotate(verdict, { path: screenshot, contentType: 'image/png' });
      await page.close();
    });

    it.for(['ese', 'eca', 'ceca', 'cbam'] as const)(
      'shows the blocks of a model trained with excitation kind %s (?kind=)',
      async (kind, context) => {
        const page = await browser().newPage({ viewport: { width: 1280, height: 1100 } });
        const watched = watchPage(page, base);
        await page.goto(new URL(`?kind=${kind}`, base).href);
        await page.waitForSelector('body[data-ready="true"], body[data-error="true"]', {
          timeout: 90_000,
        });
        expect(await page.locator('#status').textContent()).toMatch(/^Ready/);
        await page.locator('button.sample[data-label="7"]').click();
        await expect.poll(() => page.locator('#digit').textContent()).toBe('7');
        const state = (await page.evaluate(
          () => (globalThis as { __webDemo?: unknown }).__webDemo,
        )) as DemoState;
        expect(state.kind).toBe(kind);
        expect(
          await page.locator(`#kinds a[data-kind="${kind}"]`).getAttribute('aria-current'),
        ).toBe('page');
        const classes = new Set(BACKENDS.map((name) => state.backends[name]?.predicted));
        expect(classes, JSON.stringify(state.backends)).toEqual(new Set([7]));
        expect(state.blocks.map((b) => b.kind)).toEqual([kind, kind]);
        await expectBlockCards(page, state, await refusals(kind));
        expect(watched.outside).toEqual([]);
        expect(watched.errors).toEqual([]);
        const screenshot = join(OUTPUT, `draw-${kind}.png`);
        await page.screenshot({ path: screenshot, fullPage: true });
        await context.annotate(`a held-out 7 through the ${kind} model`, {
          path: screenshot,
          contentType: 'image/png',
        });
        await page.close();
      },
    );

    it('names the kinds it knows when ?kind= is not one', async () => {
      const page = await browser().newPage();
      await page.goto(new URL('?kind=se', base).href);
      await page.waitForSelector('body[data-error="true"]', { timeout: 60_000 });
      expect(await page.locator('#status').textContent()).toBe(
        `The demo could not start: ?kind=: expected one of ${EXCITATION_KIND_NAMES.join(', ')}, received "se"`,
      );
      await page.close();
    });

    it('says so, and keeps working, where WebGPU is missing', async (context) => {
      // The same Chromium without --enable-unsafe-webgpu: navigator.gpu finds no adapter.
      const noGpu = await launchChromium({ webgpu: false });
      try {
        const page = await noGpu.newPage({ viewport: { width: 1280, height: 1100 } });
        const { errors } = watchPage(page, base);
        await page.goto(base);
        await page.waitForSelector('body[data-ready="true"], body[data-error="true"]', {
          timeout: 90_000,
        });
        expect(await page.locator('#notice').isVisible()).toBe(true);
        expect(await page.locator('#notice').textContent()).toMatch(
          /^WebGPU is not available here: /,
        );
        await page.locator('button.sample[data-label="4"]').click();
        await expect.poll(() => page.locator('#digit').textContent()).toBe('4');
        const state = (await page.evaluate(
          () => (globalThis as { __webDemo?: unknown }).__webDemo,
        )) as DemoState;
        expect(state.backends.webgpu?.available).toBe(false);
        expect(state.backends.webgpu?.reason).toBeTruthy();
        for (const name of ['cpu', 'wasm', 'webgl'])
          expect(state.backends[name]?.predicted).toBe(4);
        expect(await page.locator('#backends tr[data-backend="webgpu"]').textContent()).toMatch(
          /skipped: /,
        );
        expect(errors).toEqual([]);
        const screenshot = join(OUTPUT, 'no-webgpu.png');
        await page.screenshot({ path: screenshot, fullPage: true });
        await context.annotate('without WebGPU: a notice, three backends', {
          path: screenshot,
          contentType: 'image/png',
        });
      } finally {
        await noGpu.close();
      }
    });
  },
);
