import { defineProject } from 'vitest/config';

// One end-to-end test: build the demo with Vite, serve it with `vite preview`, drive it in
// Debian's Chromium (tooling/chromium.ts) with playwright-core. Screenshots go to
// test-output/web-demo/.
export default defineProject({
  test: {
    name: 'web-demo',
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Generous: CI runs it beside the packages' own browser tests on two cores.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
