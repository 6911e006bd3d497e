import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../../tooling/chromium.js';

/** Screenshots a person can look at after the run (the repository's test-output/). */
export const OUTPUT = fileURLToPath(new URL('../../../../test-output/web-demo/', import.meta.url));

/**
 * Debian's Chromium with the repository's flags (tooling/chromium.ts); `webgpu: false` drops
 * --enable-unsafe-webgpu, so navigator.gpu finds no adapter, as in a browser without WebGPU.
 */
export function launchChromium({ webgpu = true } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: webgpu
      ? [...CHROMIUM_ARGS]
      : CHROMIUM_ARGS.filter((arg) => arg !== '--enable-unsafe-webgpu'),
    headless: true,
  });
}

/**
 * One Chromium for the tests of a `describe` (launched before them, closed after), and the
 * screenshot folder made; call it in the `describe` body and `browser()` in the tests.
 */
export function sharedChromium(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
    await mkdir(OUTPUT, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('Chromium is not running (sharedChromium outside a describe?)');
    return browser;
  };
}

/** Collects a page's uncaught errors and the URLs it requests that are not the demo's own. */
export function watchPage(page: Page, base: string): { errors: string[]; outside: string[] } {
  const watched = { errors: [] as string[], outside: [] as string[] };
  page.on('pageerror', (error) => watched.errors.push(error.message));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('blob:'))
      watched.outside.push(url);
  });
  return watched;
}
