// Every ```ts block of a package README, compiled as a user would (strict, NodeNext) against
// the built package, so a test can then run each one. A block preceded by
// `<!-- readme-test: compile only (reason) -->` is compiled but not run; the reason is kept
// for the test to print. The blocks are written into `workDir`, which must lie inside the
// package, so `@seblock/<package>` resolves to its own dist through its exports
// (self-reference) and its dependencies through its node_modules.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ReadmeBlock {
  readonly index: number;
  /** README.md line of the block's first code line. */
  readonly line: number;
  readonly code: string;
  /** Why the block is only compiled, when it is. */
  readonly compileOnly: string | undefined;
}

const COMPILE_ONLY = /^<!-- readme-test: compile only \((.+)\) -->$/;

export function readmeBlocks(readmePath: string): ReadmeBlock[] {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== '```ts') continue;
    const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
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
export function newestFile(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newestFile(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
    ),
  );
}

/**
 * Writes the blocks to `workDir/block<i>.ts` (a fresh directory) and compiles them to
 * `workDir/out`. Returns tsc's exit status and its output with positions turned into
 * README lines.
 */
export function compileReadmeBlocks(
  workDir: string,
  blocks: readonly ReadmeBlock[],
  tsc: string,
): { readonly status: number | null; readonly output: string } {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir);
  for (const block of blocks)
    writeFileSync(join(workDir, `block${block.index}.ts`), `${block.code}\n`);
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
  const output = compiled.stdout.replace(/\S*block(\d+)\.ts\((\d+),(\d+)\)/g, (_, n, l, c) => {
    const block = blocks[Number(n)] as ReadmeBlock;
    return `README.md:${block.line + Number(l) - 1}:${c} (block ${n})`;
  });
  return { status: compiled.status, output };
}

/** Runs a compiled block with Node in `workDir` (where its stand-in files are): status and output. */
export function runReadmeBlock(
  workDir: string,
  block: ReadmeBlock,
  timeout = 60_000,
): { readonly status: number | null; readonly output: string } {
  const run = spawnSync(process.execPath, [join(workDir, 'out', `block${block.index}.js`)], {
    cwd: workDir,
    encoding: 'utf8',
    timeout,
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}
