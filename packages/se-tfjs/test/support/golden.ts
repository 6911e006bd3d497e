import { decodeGoldenCase, type GoldenCase, seReference } from '@seblock/se-core';
import { randomBlock, specVariants } from './blocks.js';
import { normal, rng } from './random.js';

// Golden cases come from packages/se-core/golden/index.json (written by se-core's generator).
// The index format is read leniently until it settles: an array, or { cases: [...] }, whose
// entries are file names or objects with `file` / `path` (relative to the golden folder).
// Without an index (the cases were still being generated when this suite was written), the
// suite runs synthetic cases checked against seReference instead, and says so.

/** Reads a file relative to packages/se-core/golden, or undefined when it does not exist. */
export interface GoldenReader {
  readonly text: (path: string) => Promise<string | undefined>;
  readonly bytes: (path: string) => Promise<Uint8Array | undefined>;
}

export interface LoadedCases {
  readonly source: 'golden' | 'synthetic';
  /** Why synthetic, or where the golden cases came from. */
  readonly note: string;
  readonly cases: readonly GoldenCase[];
}

export function indexEntries(index: unknown): string[] {
  const list = Array.isArray(index)
    ? index
    : typeof index === 'object' &&
        index !== null &&
        Array.isArray((index as { cases?: unknown }).cases)
      ? (index as { cases: unknown[] }).cases
      : undefined;
  if (!list)
    throw new Error(
      `golden/index.json: expected an array or { cases: [...] }, got ${JSON.stringify(index).slice(0, 80)}`,
    );
  return list.map((entry, i) => {
    if (typeof entry === 'string') return entry;
    const file =
      (entry as { file?: unknown; path?: unknown })?.file ?? (entry as { path?: unknown })?.path;
    if (typeof file !== 'string')
      throw new Error(`golden/index.json: entry ${i} has no file or path`);
    return file;
  });
}

/** Synthetic cases: every spec variant, NCHW like golden files, y from the float64 reference. */
export function syntheticCases(): GoldenCase[] {
  const shapes: [number, number, number, number][] = [
    [2, 24, 7, 7],
    [1, 24, 14, 14],
  ];
  return specVariants(24, 6).map((spec, i) => {
    const shape = shapes[i % shapes.length] as [number, number, number, number];
    const block = randomBlock(spec, 1000 + i);
    const x = normal(
      rng(2000 + i),
      shape.reduce((a, b) => a * b, 1),
    );
    return {
      info: { name: `synthetic-${i}`, source: 'se-core seReference (float64)' },
      block,
      shape,
      x,
      y: seReference(spec, block.weights, x, shape, 'NCHW'),
    };
  });
}

export async function loadCases(reader: GoldenReader): Promise<LoadedCases> {
  const indexText = await reader.text('index.json');
  if (indexText === undefined) {
    return {
      source: 'synthetic',
      note: 'packages/se-core/golden/index.json not found: ran synthetic cases against seReference instead',
      cases: syntheticCases(),
    };
  }
  const files = indexEntries(JSON.parse(indexText));
  const cases: GoldenCase[] = [];
  for (const file of files) {
    const bytes = await reader.bytes(file);
    if (!bytes) throw new Error(`golden/index.json lists ${file}, which does not exist`);
    cases.push(decodeGoldenCase(bytes));
  }
  return {
    source: 'golden',
    note: `${cases.length} golden cases from packages/se-core/golden`,
    cases,
  };
}
