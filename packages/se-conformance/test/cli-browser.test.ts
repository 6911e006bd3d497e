import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  chromiumUnavailableReason,
} from '../src/browser/chromium.js';
import type { SuiteReport } from '../src/index.js';
import { runCli, TEST_OUTPUT } from './helpers.js';

const missing = chromiumUnavailableReason();
if (missing) console.warn(`[se-conformance] browser CLI test skipped: ${missing}`);

describe.skipIf(Boolean(missing))(
  'se-conformance --browser (every backend, Node and Chromium)',
  () => {
    it('runs all available backends, passes, and its HTML report renders (screenshot in test-output/)', async (context) => {
      const json = join(TEST_OUTPUT, 'all-backends.json');
      const html = join(TEST_OUTPUT, 'all-backends.html');
      const result = await runCli(['--browser', '--json', json, '--html', html]);
      process.stdout.write(`${result.stdout}\n${result.stderr}\n`);
      expect(result.code).toBe(0);
      const report = JSON.parse(await readFile(json, 'utf8')) as SuiteReport;
      const status = Object.fromEntries(report.backends.map((b) => [b.key, b.status]));
      // What this machine has: everything but the native GPU/libtensorflow backends.
      for (const key of [
        'tfjs-cpu',
        'tfjs-wasm',
        'ort-node-cpu',
        'ort-web-wasm',
        'tfjs-webgl',
        'tfjs-webgpu',
        'ort-web-wasm@browser',
        'ort-web-webgpu',
        'ort-web-webgl',
      ]) {
        expect(
          status[key],
          `${key}: ${report.backends.find((b) => b.key === key)?.reason ?? ''}`,
        ).toBe('ran');
      }
      for (const key of ['tfjs-node', 'tfjs-node-gpu', 'ort-node-cuda']) {
        const backend = report.backends.find((b) => b.key === key);
        expect(backend?.status).toBe('skipped');
        expect(backend?.reason).toBeTruthy();
      }
      expect(report.machine.browser).toMatch(/Chrom/);
      // SwiftShader renders float32: WebGL must be held to the float32 tolerance, not float16's.
      expect(report.backends.find((b) => b.key === 'tfjs-webgl')?.measuredPrecision).toBe(
        'float32',
      );

      // A person reads the HTML report: open it in Chromium, click a cell, take a screenshot.
      const browser = await chromium.launch({
        executablePath: CHROMIUM_PATH,
        args: [...CHROMIUM_ARGS],
        headless: true,
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
        await page.goto(pathToFileURL(html).href);
        await expect
          .poll(() => page.locator('#matrix td.cell').count())
          .toBe(report.cases.length * report.backends.length);
        // PyTorch's float32 error and the bound, beside each row, as the report's data says.
        const torch = await page.locator('#matrix td.torch').allTextContents();
        const bounds = await page.locator('#matrix td.tolerance').allTextContents();
        expect(torch).toHaveLength(report.cases.length);
        expect(torch.map(Number)).toEqual(
          report.cases.map((c) => Number((c.torchFloat32Ulps as number).toFixed(1))),
        );
        expect(bounds.map(Number)).toEqual(
          report.cases.map((c) => Number(c.toleranceUlps.toFixed(c.toleranceUlps < 100 ? 1 : 0))),
        );
        await page.locator('#matrix td.cell.pass').nth(3).click();
        expect(await page.locator('#details h2').textContent()).toMatch(/ on /);
        expect(await page.locator('#details').textContent()).toMatch(
          /PyTorch's float32 error\d+(\.\d)? ULP/,
        );
        const screenshot = join(TEST_OUTPUT, 'conformance-report.png');
        await page.screenshot({ path: screenshot, fullPage: true });
        process.stdout.write(`HTML report screenshot: ${screenshot}\n`);
        await context.annotate('HTML report screenshot', {
          path: screenshot,
          contentType: 'image/png',
        });
      } finally {
        await browser.close();
      }
    });
  },
);
