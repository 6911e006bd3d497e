// Every ```ts block of the README compiles against the built package and runs in Node as
// written (tooling/readme-blocks.ts); they read se-core's shipped golden cases.
import { fileURLToPath } from 'node:url';
import { describeReadmeBlocks } from '../../../tooling/readme-blocks.js';

describeReadmeBlocks({
  packageDir: fileURLToPath(new URL('..', import.meta.url)),
  minBlocks: 2,
  runTimeoutMs: 120_000,
});
