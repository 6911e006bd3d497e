// Every ```ts block of the README compiles against the built package and runs in Node as
// written. The files a block reads (resnet.onnx, se-block.safetensors, …) are stand-ins the
// test writes next to it, from the fixtures. A block preceded by
// `<!-- readme-test: compile only (reason) -->` is compiled but not run, and the reason printed.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeSEWeights } from '@seblock/se-core';
import { seededCheckpoint, seResNet50 } from '@seblock/se-core/networks';
import { afterAll, describe, expect, it } from 'vitest';
import { NETWORK_FIXTURES } from './support/networks.js';
import { randomBlock } from './support/random.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
// Inside the package, so `@seblock/se-onnxruntime` resolves to its own dist through its
// exports (self-reference) and its dependencies through its node_modules, as for a user.
const workDir = join(packageDir, '.readme-blocks');
const fixtures = join(packageDir, 'test', 'fixtures');
const tsc = join(packageDir, '..', '..', 'node_modules', '.bin', 'tsc');

interface Block {
  readonly index: number;
  readonly line: number;
  readonly code: string;
  readonly compileOnly: string | undefined;
}

function readmeBlocks(): Block[] {
  const lines = readFileSync(join(packageDir, 'README.md'), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== '```ts') continue;
    const marker = lines[i - 1]?.match(/^<!-- readme-test: compile only \((.+)\) -->$/);
    const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
    blocks.push({
      index: blocks.length,
      line: i + 2,
      code: lines.slice(i + 1, end).join('\n'),
      compileOnly: marker?.[1],
    });
    i = end;
  }
  return blocks;
}

/** The newest modification time under a directory. */
function newest(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
    ),
  );
}

/** The files the README's blocks read, written where they run. */
function writeStandIns(): void {
  for (const [name, fixture] of [
    ['resnet.onnx', 'resnet.onnx'],
    ['se-resnet.onnx', 'se-resnet.onnx'],
    ['mobilenet_v3_small.onnx', 'mobilenet_v3_small.onnx'],
    ['resnet-se.safetensors', 'resnet-se-weights.safetensors'],
  ] as const)
    copyFileSync(join(fixtures, fixture), join(workDir, name));
  for (const [name, channels] of [
    ['se-block.safetensors', 64],
    ['se-16.safetensors', 16],
  ] as const) {
    const block = randomBlock({ channels, reducedChannels: channels / 4 }, channels);
    writeFileSync(join(workDir, name), encodeSEWeights(block));
  }
  // A full-size timm SE-ResNet-50 state_dict from se-core's seeded weights (112 MB, not committed).
  writeFileSync(
    join(workDir, 'model.safetensors'),
    seededCheckpoint(seResNet50(), NETWORK_FIXTURES.seed),
  );
}

describe('README code blocks', () => {
  const blocks = readmeBlocks();
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('there are blocks to check, and the package is built', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const dist = join(packageDir, 'dist');
    const built = statSync(join(dist, 'index.d.ts'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
    expect(
      built,
      'dist is missing or older than src: run `pnpm build` first',
    ).toBeGreaterThanOrEqual(newest(join(packageDir, 'src')));
  });

  it('shows the checkpoint path (PyTorch state_dict to logits) in at most 10 lines', () => {
    const checkpoint = blocks.filter((b) => b.code.includes('loadNetworkSession('));
    expect(checkpoint.length).toBeGreaterThanOrEqual(1);
    expect((checkpoint[0] as Block).code.trim().split('\n').length).toBeLessThanOrEqual(10);
  });

  it('every block compiles (strict TypeScript, NodeNext, as a user would)', {
    timeout: 120_000,
  }, () => {
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(workDir);
    for (const block of blocks)
      writeFileSync(join(workDir, `block${block.index}.ts`), `${block.code}\n`);
    writeStandIns();
    // A user's usual settings: strict, but not this repository's noUncheckedIndexedAccess.
    writeFileSync(
      join(workDir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: true,
          types: ['node'],
          rootDir: '.',
          outDir: 'out',
        },
        include: ['block*.ts'],
      }),
    );
    const compiled = spawnSync(tsc, ['-p', workDir], { encoding: 'utf8' });
    const where = compiled.stdout.replace(/\S*block(\d+)\.ts\((\d+),(\d+)\)/g, (_, n, l, c) => {
      const block = blocks[Number(n)] as Block;
      return `README.md:${block.line + Number(l) - 1}:${c} (block ${n})`;
    });
    expect(compiled.status, where).toBe(0);
  });

  for (const block of blocks) {
    it(`block ${block.index} (README.md line ${block.line}) runs in Node`, (context) => {
      if (block.compileOnly) {
        console.log(`[readme] block ${block.index} is compiled only: ${block.compileOnly}`);
        context.skip();
      }
      const run = spawnSync(process.execPath, [join(workDir, 'out', `block${block.index}.js`)], {
        cwd: workDir,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    });
  }
});
