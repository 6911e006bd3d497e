import { defineProject } from 'vitest/config';

// The Node demo as a user runs it (its built CLI, a short configuration), plus unit tests of
// the parts with arithmetic in them. Needs `pnpm build` first (the root `pnpm test` does it).
export default defineProject({
  test: {
    name: 'node-demo',
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
