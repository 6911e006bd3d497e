import { fileURLToPath } from 'node:url';

export const APP_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/** Screenshots and outputs a person can look at after the run (the repository's test-output/). */
export const TEST_OUTPUT = fileURLToPath(
  new URL('../../../../test-output/node-demo/', import.meta.url),
);
