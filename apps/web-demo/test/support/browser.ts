import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
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
