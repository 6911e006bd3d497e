import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'se-core',
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
