import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeGoldenCase, SEError } from '@seblock/se-core';
import { readBytes } from '@seblock/se-core/node';
import type { ConformanceCase } from '../backends/types.js';

/** A case file that could not be read: names the file and what was wrong. */
export class CaseLoadError extends SEError {}

/** The golden cases shipped with @seblock/se-core (computed by PyTorch in float64). */
export function defaultCasesDirectory(): string {
  return fileURLToPath(new URL('.', import.meta.resolve('@seblock/se-core/golden/index.json')));
}

async function caseFiles(directory: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    throw new CaseLoadError(
      '--cases',
      `cannot read directory ${directory}: ${(error as Error).message}`,
    );
  }
  const files = names.filter((n) => n.endsWith('.safetensors')).sort();
  if (files.length === 0)
    throw new CaseLoadError('--cases', `no *.safetensors golden case files in ${directory}`);
  return files.map((n) => join(directory, n));
}

/**
 * Reads every `*.safetensors` golden case of a directory (the format se-core
 * documents), sorted by file name. A file that does not decode fails the
 * load, naming the file: a conformance run must not silently test less.
 */
export async function loadCases(directory = defaultCasesDirectory()): Promise<ConformanceCase[]> {
  const out: ConformanceCase[] = [];
  for (const file of await caseFiles(directory)) {
    try {
      // readBytes: a FIFO or a device among the cases is refused by kind instead of blocking or filling memory.
      const golden = decodeGoldenCase(await readBytes(file));
      out.push({ ...golden, id: basename(file, '.safetensors') });
    } catch (error) {
      throw new CaseLoadError(`case ${basename(file)}`, (error as Error).message);
    }
  }
  return out;
}
