// The layering of a package's src/ as a test: no file imports itself through others, and no
// top-level folder does either (se-tfjs's kernels/ and op/ once did; se-onnxruntime's build/
// and function/ must not). Dependency-free: relative import specifiers read from the source.
// Biome's noImportCycles catches file cycles too; folder cycles only this catches. Shared by
// every package so the rule is one piece of code.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

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
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
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

export interface ImportLayeringOptions {
  /** Folder pairs [from, to] named in the test: `from` must not import `to` (ones that once did). */
  readonly forbidden?: readonly (readonly [string, string])[];
}

/**
 * Describes the layering tests of the package whose `src/` is `srcDir`: imports resolve to
 * source files, no cycle between files, none between the top-level folders (a file directly
 * in src/ is its own unit).
 */
export function describeImportLayering(srcDir: string, options: ImportLayeringOptions = {}): void {
  const files = sourceFiles(srcDir);
  const fileGraph = new Map(files.map((f) => [f, importsOf(f)]));
  const name = (f: string) => relative(srcDir, f);
  const unit = (f: string) => name(f).split('/')[0] as string;

  describe('imports inside src/', () => {
    it('resolve to source files', () => {
      const missing = [...fileGraph].flatMap(([f, deps]) =>
        deps.filter((d) => !fileGraph.has(d)).map((d) => `${name(f)} → ${name(d)}`),
      );
      expect(missing).toEqual([]);
    });

    it('form no cycle between files', () => {
      expect(importCycles(fileGraph).map((c) => c.map(name).join(' → '))).toEqual([]);
    });

    it('form no cycle between the top-level folders', () => {
      const folders = new Map<string, Set<string>>();
      for (const [f, deps] of fileGraph) {
        const from = folders.get(unit(f)) ?? new Set<string>();
        for (const d of deps) if (unit(d) !== unit(f)) from.add(unit(d));
        folders.set(unit(f), from);
      }
      const graph = new Map([...folders].map(([k, v]) => [k, [...v]]));
      expect(importCycles(graph).map((c) => c.join(' → '))).toEqual([]);
      for (const [from, to] of options.forbidden ?? [])
        expect(graph.get(from) ?? [], `${from}/ imports ${to}/`).not.toContain(to);
    });

    it('finds a cycle when there is one (the search itself)', () => {
      const graph = new Map([
        ['a', ['b']],
        ['b', ['c']],
        ['c', ['a']],
        ['d', ['a']],
      ]);
      expect(importCycles(graph)).toEqual([['a', 'b', 'c', 'a']]);
    });
  });
}
