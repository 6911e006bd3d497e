// Every ```ts block of a package README is compiled against the BUILT package (resolved by its
// own name through its `exports`, as a user's code resolves it) and run in Node as written.
// A package's test calls describeReadmeBlocks with the files its blocks read ("stand-ins",
// made from fixtures). A block preceded by `<!-- readme-test: compile only (reason) -->` is
// compiled but not run, and the reason is printed. Shared by every package so the rule
// "every README code block is compiled and run by a test" is one piece of code.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

export interface ReadmeBlock {
  readonly index: number;
  /** 1-based line of the block's first code line in the README. */
  readonly line: number;
  readonly code: string;
  /** Why the block is compiled only, when it is. */
  readonly compileOnly: string | undefined;
}

const COMPILE_ONLY = /^<!-- readme-test: compile only \((.+)\) -->$/;

/** The ```ts blocks of a Markdown file, in order. */
export function readmeBlocks(readmePath: string): ReadmeBlock[] {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== '```ts') continue;
    const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
    if (end < 0) throw new Error(`${readmePath}:${i + 1}: a \`\`\`ts block is never closed`);
    blocks.push({
      index: blocks.length,
      line: i + 2,
      code: lines.slice(i + 1, end).join('\n'),
      compileOnly: lines[i - 1]?.match(COMPILE_ONLY)?.[1],
    });
    i = end;
  }
  return blocks;
}

/** The newest modification time of any file under `dir`. */
function newest(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
    ),
  );
}

export interface ReadmeBlocksOptions {
  /** The package directory (holds README.md, package.json, src/ and dist/). */
  readonly packageDir: string;
  /** Writes the files the blocks read into `dir` (their working directory). */
  readonly standIns?: (dir: string) => void | Promise<void>;
  /** Fewest blocks expected: guards against a README whose blocks all lost their `ts` tag. */
  readonly minBlocks?: number;
  /** Per block run, in ms (default 60 s). */
  readonly runTimeoutMs?: number;
}

/**
 * Declares the vitest suite: one test that the package is built and every block compiles
 * (strict TypeScript, NodeNext, a user's usual settings), and one test per block that runs it.
 */
export function describeReadmeBlocks(options: ReadmeBlocksOptions): void {
  const { packageDir } = options;
  const blocks = readmeBlocks(join(packageDir, 'README.md'));
  // Inside the package, so its own name resolves to its dist through `exports` (self-reference)
  // and its dependencies through its node_modules, as for a user. Git-ignored.
  const workDir = join(packageDir, '.readme-blocks');
  const tsc = join(packageDir, '..', '..', 'node_modules', '.bin', 'tsc');

  describe('README code blocks', () => {
    afterAll(() => rmSync(workDir, { recursive: true, force: true }));

    it('every block compiles against the built package', { timeout: 180_000 }, async () => {
      expect(blocks.length).toBeGreaterThanOrEqual(options.minBlocks ?? 1);
      const built = statSync(join(packageDir, 'dist'), { throwIfNoEntry: false })
        ? newest(join(packageDir, 'dist'))
        : 0;
      expect(
        built,
        'dist is missing or older than src: run `pnpm build` first',
      ).toBeGreaterThanOrEqual(newest(join(packageDir, 'src')));
      rmSync(workDir, { recursive: true, force: true });
      mkdirSync(workDir);
      for (const block of blocks)
        writeFileSync(join(workDir, `block${block.index}.ts`), `${block.code}\n`);
      await options.standIns?.(workDir);
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
      // Point compiler errors at README lines, not at the generated files.
      const where = compiled.stdout.replace(/\S*block(\d+)\.ts\((\d+),(\d+)\)/g, (_, n, l, c) => {
        const block = blocks[Number(n)] as ReadmeBlock;
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
          timeout: options.runTimeoutMs ?? 60_000,
        });
        expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      });
    }
  });
}
