import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'se-onnxruntime',
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
