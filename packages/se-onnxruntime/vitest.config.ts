import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: {
    // The README's examples import the package by name, as a user would; tests run them on src.
    alias: {
      '@seblock/se-onnxruntime/networks': fileURLToPath(
        new URL('./src/networks/index.ts', import.meta.url),
      ),
    },
  },
  test: {
    name: 'se-onnxruntime',
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
