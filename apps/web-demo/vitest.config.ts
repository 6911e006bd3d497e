import { defineProject } from 'vitest/config';

// End-to-end tests: the demo is built with Vite and served with `vite preview` once
// (test/support/global-setup.ts); each file drives its pages in Debian's Chromium
// (tooling/chromium.ts) with playwright-core. Screenshots go to test-output/web-demo/.
export default defineProject({
  test: {
    name: 'web-demo',
    include: ['test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/support/global-setup.ts'],
    // One file at a time: two Chromiums rendering on the CPU (SwiftShader) would starve each other.
    fileParallelism: false,
    // Generous: CI runs it beside the packages' own browser tests on two cores.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
