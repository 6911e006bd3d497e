// The folders of src/ draw the architecture: proto ← graph ← forms ← function ← build ← insert,
// session; extract reads through forms. A folder importing from a folder that imports it
// back would blur that, and Biome's noImportCycles sees files only: this test sees folders.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** A file's unit: its top-level folder under src/ (`forms`), or the file itself at the top (`errors.ts`). */
const unitOf = (file: string) => relative(SRC, file).split('/')[0] as string;

/** Edges unit → unit from every relative import and export-from of src/. */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const [, specifier] of text.matchAll(/\bfrom\s+'(\.[^']+)'/g)) {
      const target = resolve(dirname(file), (specifier as string).replace(/\.js$/, '.ts'));
      const [from, to] = [unitOf(file), unitOf(target)];
      if (from === to) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      edges.set(to, relative(SRC, file));
      graph.set(from, edges);
    }
  }
  return graph;
}

/** The first cycle found by a depth-first search, as `a → b → a` with the importing files. */
function findCycle(graph: Map<string, Map<string, string>>): string | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (unit: string): string | undefined => {
    if (state.get(unit) === 'done') return undefined;
    if (state.get(unit) === 'open') {
      const loop = [...path.slice(path.indexOf(unit)), unit];
      return loop
        .map((u, i) =>
          i + 1 < loop.length ? `${u} (${graph.get(u)?.get(loop[i + 1] as string)})` : u,
        )
        .join(' → ');
    }
    state.set(unit, 'open');
    path.push(unit);
    for (const next of graph.get(unit)?.keys() ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(unit, 'done');
    return undefined;
  };
  for (const unit of graph.keys()) {
    const cycle = visit(unit);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('src/ folders', () => {
  it('import each other without a cycle', () => {
    const graph = folderGraph();
    expect(graph.get('forms')?.size, 'the scan found the imports').toBeGreaterThan(0);
    expect(findCycle(graph)).toBeUndefined();
  });

  it('the search finds a cycle when there is one', () => {
    const graph = new Map([
      ['build', new Map([['function', 'build/build-model.ts']])],
      ['function', new Map([['build', 'function/se-function.ts']])],
    ]);
    expect(findCycle(graph)).toBe(
      'build (build/build-model.ts) → function (function/se-function.ts) → build',
    );
  });
});
