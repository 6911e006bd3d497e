// One definition of a package's browser test project: Debian's headless Chromium
// (never a downloaded browser) through @vitest/browser-playwright. vitest 4.1 cannot
// nest projects, so each package keeps this in its own vitest.browser.config.ts.
import { playwright } from '@vitest/browser-playwright';
import { defineProject } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';

export function browserTestProject(name: string) {
  return defineProject({
    test: {
      name,
      include: ['test/browser/**/*.test.ts'],
      // WebGL shader compiles and WebGPU pipelines on a CPU adapter are slow on 2 cores.
      testTimeout: 120_000,
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
}
