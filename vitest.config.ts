import { defineConfig } from 'vitest/config';

// One root config so `pnpm test` runs every package: each package (and app) owns a
// vitest.config.ts that declares its Node and browser projects.
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      // Browser projects (Chromium) live in their own files: vitest 4.1 does not nest projects.
      'packages/*/vitest.browser.config.ts',
      'apps/*/vitest.config.ts',
    ],
  },
});
