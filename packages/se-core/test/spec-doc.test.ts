// SPEC.md is the definition the source cites: every `SPEC.md, "Section"` in
// src/ must name a heading that exists, so a renamed section cannot leave
// dangling references behind.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXCITATION_KIND_NAMES } from '../src/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const headings = readFileSync(join(ROOT, 'SPEC.md'), 'utf8')
  .split('\n')
  .filter((line) => line.startsWith('#'))
  .map((line) => line.replace(/^#+\s*/, '').replaceAll('`', ''));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('SPEC.md', () => {
  const citations = sources(join(ROOT, 'src')).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/SPEC\.md,\s*(?:\*\s*)?"([^"]+)"/g)].map((m) => ({
      file,
      // A citation may wrap onto the next comment line.
      section: (m[1] as string).replace(/\s*\n\s*(?:\*|\/\/)?\s*/g, ' '),
    })),
  );

  it('has every section the source cites', () => {
    expect(citations.length).toBeGreaterThan(10);
    for (const { file, section } of citations) {
      expect(
        headings.some((h) => h.startsWith(section)),
        `${file} cites SPEC.md, "${section}"`,
      ).toBe(true);
    }
  });

  it('has a section for every excitation kind', () => {
    for (const kind of EXCITATION_KIND_NAMES) {
      expect(
        headings.some((h) => h.startsWith(`${kind}:`)),
        kind,
      ).toBe(true);
    }
  });

  it('is what the source cites, not a file outside the package', () => {
    for (const file of sources(join(ROOT, 'src'))) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/SE-REFERENCE|shared\//);
    }
  });
});
