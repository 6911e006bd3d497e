import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../tooling/chromium.js';

// The browser half of se-bench: vitest's browser mode only launches Debian's Chromium (the
// repository's settings) and serves the page; browser/page.bench.ts measures and writes its
// rows back. Started by src/runners/browser.ts, never by `pnpm test` (the root config only
// picks packages/*/vitest*.config.ts, and this file lives in browser/).
export default defineConfig({
  root: new URL('..', import.meta.url).pathname,
  test: {
    name: 'se-bench-browser',
    include: ['browser/page.bench.ts'],
    // The network suite times whole networks on software renderers: tens of minutes.
    testTimeout: 3_600_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
