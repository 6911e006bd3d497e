import { defineProject } from 'vitest/config';

// Unit tests of the shared pieces: decoding, resampling against PIL's numbers, timm's config,
// the agreement maths, and that the committed samples are the rendered picture.
export default defineProject({
  test: {
    name: 'demo-imagenet',
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
