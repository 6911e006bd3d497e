import { defineProject } from 'vitest/config';

// The Node project: cpu and wasm backends (and tfjs-node / tfjs-node-gpu when installed).
// The GPU backends run in Chromium: see vitest.browser.config.ts (vitest 4.1 does not
// nest projects, so each project has its own file).
export default defineProject({
  test: {
    name: 'se-tfjs',
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**'],
    environment: 'node',
    // Each test file gets its own TF.js engine (vitest isolates files), so the backend a file
    // selects and its tf.memory() counts are its own.
    testTimeout: 60_000,
  },
});
