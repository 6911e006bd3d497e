// The README's ```ts blocks compile with tsc (a user's strict settings) and run in Node as
// written, in a scratch folder inside the app (so its dependencies resolve as a user's would)
// holding the files they read: the seeded checkpoint, its config.json and the sample picture.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededCheckpoint, seededConfig } from 'demo-imagenet';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE_IMAGE } from '../src/classify/image.js';
import { APP_DIR } from './support/paths.js';

const WORK = join(APP_DIR, '.readme-blocks');
const TSC = join(APP_DIR, 'node_modules', 'typescript', 'bin', 'tsc');

function readmeBlocks(): { line: number; code: string }[] {
  const lines = readFileSync(join(APP_DIR, 'README.md'), 'utf8').split('\n');
  const blocks: { line: number; code: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== '```ts') continue;
    const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
    blocks.push({ line: i + 2, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

describe('node-demo README code blocks', () => {
  const blocks = readmeBlocks();
  afterAll(() => rmSync(WORK, { recursive: true, force: true }));

  it('compile and run on the seeded checkpoint and the sample', { timeout: 120_000 }, () => {
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK);
    writeFileSync(join(WORK, 'model.safetensors'), seededCheckpoint());
    writeFileSync(join(WORK, 'config.json'), JSON.stringify(seededConfig()));
    copyFileSync(SAMPLE_IMAGE, join(WORK, 'sample.png'));
    writeFileSync(join(WORK, 'package.json'), '{ "type": "module" }\n');
    for (const [i, b] of blocks.entries()) writeFileSync(join(WORK, `block${i}.ts`), `${b.code}\n`);
    writeFileSync(
      join(WORK, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: true,
          types: ['node'],
          outDir: 'out',
        },
        include: ['block*.ts'],
      }),
    );
    const compiled = spawnSync(process.execPath, [TSC, '-p', WORK], { encoding: 'utf8' });
    expect(compiled.status, compiled.stdout).toBe(0);
    blocks.forEach((block, i) => {
      const run = spawnSync(process.execPath, [join(WORK, 'out', `block${i}.js`)], {
        cwd: WORK,
        encoding: 'utf8',
        timeout: 90_000,
      });
      expect(run.status, `README line ${block.line}: ${run.stderr}`).toBe(0);
      // The seeded checkpoint's answer on the sample (PyTorch's too: test/classify.test.ts).
      expect(run.stdout).toContain("'academic gown 0.42%'");
    });
  });
});
