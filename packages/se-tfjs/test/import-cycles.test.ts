import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layering of src/ as a test: no file imports itself through others, and no top-level
// folder does either (kernels/ and op/ once did: op/ ran kernels, kernels/ borrowed op/'s
// activation functions). Dependency-free: relative import specifiers read from the source.

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `import … from './x.js'`, `export … from '../y.js'`, `import './z.js'`: the relative ones. */
const IMPORT = /(?:import|export)\s+(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) =>
    resolve(dirname(file), (m[1] as string).replace(/\.js$/, '.ts')),
  );
}

/** Every cycle's path (as names), by depth-first search with an on-stack marker. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'active');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'active') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

const files = sourceFiles(SRC);
const fileGraph = new Map(files.map((f) => [f, importsOf(f)]));
const name = (f: string) => relative(SRC, f);
/** A file's top-level folder under src/ (a file directly in src/ is its own unit). */
const unit = (f: string) => name(f).split('/')[0] as string;

describe('imports inside src/', () => {
  it('resolve to source files', () => {
    const missing = [...fileGraph].flatMap(([f, deps]) =>
      deps.filter((d) => !fileGraph.has(d)).map((d) => `${name(f)} → ${name(d)}`),
    );
    expect(missing).toEqual([]);
  });

  it('form no cycle between files', () => {
    expect(cycles(fileGraph).map((c) => c.map(name).join(' → '))).toEqual([]);
  });

  it('form no cycle between the top-level folders', () => {
    const folders = new Map<string, Set<string>>();
    for (const [f, deps] of fileGraph) {
      const from = folders.get(unit(f)) ?? new Set<string>();
      for (const d of deps) if (unit(d) !== unit(f)) from.add(unit(d));
      folders.set(unit(f), from);
    }
    const graph = new Map([...folders].map(([k, v]) => [k, [...v]]));
    expect(cycles(graph).map((c) => c.join(' → '))).toEqual([]);
    // The one that used to be there, named.
    expect(graph.get('kernels')).not.toContain('op');
  });

  it('finds a cycle when there is one (the search itself)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c', 'a']]);
  });
});
