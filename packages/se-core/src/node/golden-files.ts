import { readdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { describeValue, SEWeightFormatError } from '../errors/index.js';
import { decodeGoldenCase, type GoldenCase } from '../golden/golden-case.js';
import { pathOf } from './atomic-write.js';
import { type ReadFileOptions, readBytes } from './read-file.js';

/**
 * The package's own golden cases: `golden/` at the package root. This module
 * is `dist/node/golden-files.js` once built (or `src/node/…` under a test
 * runner), so the root is two levels up either way.
 */
export const DEFAULT_GOLDEN_DIR: string = pathOf(new URL('../../golden/', import.meta.url));

/** One golden case file listed in a golden directory. */
export interface GoldenCaseEntry {
  /** The case name from the index (the file name without extension when the index has none). */
  readonly name: string;
  /** Absolute path of the case file. */
  readonly path: string;
}

export const GOLDEN_INDEX = 'index.json';

function entryFrom(dir: string, raw: unknown, field: string): GoldenCaseEntry {
  const record = typeof raw === 'string' ? { file: raw } : (raw as Record<string, unknown> | null);
  const file = record?.file ?? record?.path;
  if (typeof file !== 'string' || file === '') {
    throw new SEWeightFormatError(
      field,
      `expected a file name or { "name", "file" }, received ${describeValue(raw)}`,
    );
  }
  const path = resolve(dir, file);
  const inside = relative(dir, path);
  // An index lists files of its own directory; a path that climbs out is a forged or broken index.
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new SEWeightFormatError(
      `${field}.file`,
      `expected a path inside ${dir}, received ${describeValue(file)}`,
    );
  }
  const name = typeof record?.name === 'string' ? record.name : file.replace(/\.safetensors$/, '');
  return { name, path };
}

/**
 * Lists the golden cases of `dir` (default: the package's `golden/`). Reads
 * `index.json` when present: an array of file names or of `{ "name", "file" }`
 * objects, bare or under a `"cases"` key. Without an index, every
 * `*.safetensors` file in the directory, sorted. A missing directory rejects
 * with Node's ENOENT error.
 *
 * @example
 * ```ts
 * for (const { name, path } of await listGoldenCases()) {
 *   const golden = await readGoldenCaseFile(path);
 * }
 * ```
 */
export async function listGoldenCases(
  dir: string | URL = DEFAULT_GOLDEN_DIR,
): Promise<GoldenCaseEntry[]> {
  const root = resolve(pathOf(dir));
  const files = await readdir(root);
  if (!files.includes(GOLDEN_INDEX)) {
    return files
      .filter((f) => f.endsWith('.safetensors'))
      .sort()
      .map((file) => ({ name: file.replace(/\.safetensors$/, ''), path: join(root, file) }));
  }
  const field = join(root, GOLDEN_INDEX);
  // readBytes: the index is a path inside a directory the user named, so it gets the same checks.
  const text = new TextDecoder().decode(await readBytes(field));
  let index: unknown;
  try {
    index = JSON.parse(text);
  } catch (error) {
    throw new SEWeightFormatError(
      field,
      `expected JSON: ${(error as Error).message.slice(0, 120)}`,
    );
  }
  const list = Array.isArray(index) ? index : (index as { cases?: unknown } | null)?.cases;
  if (!Array.isArray(list)) {
    throw new SEWeightFormatError(
      field,
      `expected an array of cases (or { "cases": [...] }), received ${describeValue(index)}`,
    );
  }
  return list.map((raw, i) => entryFrom(root, raw, `${field}[${i}]`));
}

/**
 * Reads and strictly decodes one golden case file (see {@link decodeGoldenCase}).
 *
 * @example
 * ```ts
 * const { block, x, y, shape } = await readGoldenCaseFile('golden/paper-c64.safetensors');
 * ```
 */
export async function readGoldenCaseFile(
  path: string | URL,
  options: ReadFileOptions = {},
): Promise<GoldenCase> {
  return decodeGoldenCase(await readBytes(path, options));
}
