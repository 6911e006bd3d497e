import { playwright } from '@vitest/browser-playwright';
import { defineProject } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tooling/chromium.js';

// The browser project: webgl and webgpu (and cpu) in Debian's headless Chromium, never a
// downloaded browser. WebGL runs on SwiftShader and WebGPU on Dawn's CPU adapter here.
export default defineProject({
  test: {
    name: 'se-tfjs-browser',
    include: ['test/browser/**/*.test.ts'],
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
