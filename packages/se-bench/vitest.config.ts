import { defineProject } from 'vitest/config';

// Only the harness' own logic (statistics, ratios, the report): no timing is ever asserted.
export default defineProject({
  test: {
    name: 'se-bench',
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
