import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'se-conformance',
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**'],
    environment: 'node',
    // The environment describeBackends runs in (the browser project sets its own).
    setupFiles: ['test/setup/node.ts'],
    // The CLI tests launch whole suites (and Chromium): give them room on a 2-core machine.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
