import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seededCheckpoint, seResNet50 } from '@seblock/se-core/networks';
import { afterAll, describe, expect, it } from 'vitest';

// The README's checkpoint example, exactly as written: type-checked by tsc, then run on a
// full-size SE-ResNet-50 model.safetensors (the seeded weights) in a scratch directory.
const PACKAGE = new URL('../../', import.meta.url);
const EXAMPLE = new URL('test/networks/readme-example.generated.ts', PACKAGE);

async function exampleSource(): Promise<string> {
  const readme = await readFile(new URL('README.md', PACKAGE), 'utf8');
  const block =
    /<!-- networks-example -->\s*```ts\n([\s\S]*?)```\s*<!-- \/networks-example -->/.exec(readme);
  if (!block?.[1]) throw new Error('README.md has no networks-example block');
  // `indices` is what the example computes; export it so the test can look at it.
  return `${block[1]}export { indices };\n`;
}

afterAll(() => rm(EXAMPLE, { force: true }));

describe('README: whole networks from PyTorch checkpoints', () => {
  it('the example compiles with tsc --noEmit and classifies with a real SE-ResNet-50 checkpoint', {
    timeout: 180_000,
  }, async () => {
    await writeFile(EXAMPLE, await exampleSource());
    const tsc = join(new URL('node_modules/typescript/bin/tsc', PACKAGE).pathname);
    await promisify(execFile)(
      process.execPath,
      [
        tsc,
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--skipLibCheck',
        '--types',
        'node',
        EXAMPLE.pathname,
      ],
      { cwd: PACKAGE.pathname },
    );
    const scratch = await mkdtemp(join(tmpdir(), 'seblock-readme-'));
    const cwd = process.cwd();
    try {
      await writeFile(join(scratch, 'model.safetensors'), seededCheckpoint(seResNet50(), 7));
      process.chdir(scratch);
      const { indices } = await import(EXAMPLE.href);
      expect(indices.shape).toEqual([1, 5]);
      expect(new Set(indices.dataSync()).size).toBe(5);
    } finally {
      process.chdir(cwd);
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
