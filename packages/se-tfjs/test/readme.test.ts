// Every ```ts block of the README compiles against the built package and runs in Node as
// written (tooling/readme-blocks.ts). The files a block reads are stand-ins the test writes
// next to it: a full-size SE-ResNet-50 checkpoint with seeded weights, and se-core's
// torchvision MobileNetV3 importer fixture.
import { copyFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seResNet50 } from '@seblock/se-core/networks';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compileReadmeBlocks,
  newestFile,
  type ReadmeBlock,
  readmeBlocks,
  runReadmeBlock,
} from '../../../tooling/readme-blocks.js';
import { seededCheckpoint } from './networks/seeded-checkpoint.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const workDir = join(packageDir, '.readme-blocks');
const tsc = join(packageDir, 'node_modules', 'typescript', 'bin', 'tsc');
const importFixtures = join(packageDir, '..', 'se-core', 'test', 'fixtures', 'import');

/** The files the README's blocks read, written where they run. */
function writeStandIns(): void {
  writeFileSync(join(workDir, 'model.safetensors'), seededCheckpoint(seResNet50(), 7));
  copyFileSync(
    join(importFixtures, 'torchvision-mobilenetv3.safetensors'),
    join(workDir, 'mobilenet_v3.safetensors'),
  );
}

describe('README code blocks', () => {
  const blocks: ReadmeBlock[] = readmeBlocks(join(packageDir, 'README.md'));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('there are blocks to check, and the package is built', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    const built = statSync(join(packageDir, 'dist', 'index.d.ts'), { throwIfNoEntry: false });
    expect(
      built?.mtimeMs ?? 0,
      'dist is missing or older than src: run `pnpm --filter @seblock/se-tfjs build` first',
    ).toBeGreaterThanOrEqual(newestFile(join(packageDir, 'src')));
  });

  it('every block compiles (strict TypeScript, NodeNext, as a user would)', {
    timeout: 120_000,
  }, () => {
    const { status, output } = compileReadmeBlocks(workDir, blocks, tsc);
    expect(status, output).toBe(0);
    writeStandIns();
  });

  for (const block of blocks) {
    it(`block ${block.index} (README.md line ${block.line}) runs in Node`, {
      timeout: 120_000,
    }, (context) => {
      if (block.compileOnly) {
        console.log(`[readme] block ${block.index} is compiled only: ${block.compileOnly}`);
        context.skip();
      }
      const { status, output } = runReadmeBlock(workDir, block, 110_000);
      expect(status, output).toBe(0);
    });
  }
});
