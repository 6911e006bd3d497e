import { decodeGoldenCase, type GoldenCase } from '@seblock/se-core';

// Golden cases come from packages/se-core/golden/index.json ({ cases: [{ file, ... }] }),
// written by se-core's PyTorch generator and committed: a missing file fails the suite.

/** Reads a file relative to packages/se-core/golden, or undefined when it does not exist. */
export interface GoldenReader {
  readonly text: (path: string) => Promise<string | undefined>;
  readonly bytes: (path: string) => Promise<Uint8Array | undefined>;
}

export async function loadCases(reader: GoldenReader): Promise<GoldenCase[]> {
  const indexText = await reader.text('index.json');
  if (indexText === undefined) throw new Error('packages/se-core/golden/index.json is missing');
  const { cases: entries } = JSON.parse(indexText) as { cases: { file: string }[] };
  const cases: GoldenCase[] = [];
  for (const { file } of entries) {
    const bytes = await reader.bytes(file);
    if (!bytes) throw new Error(`golden/index.json lists ${file}, which does not exist`);
    cases.push(decodeGoldenCase(bytes));
  }
  return cases;
}
