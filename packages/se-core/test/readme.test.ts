// The README's preset and convention tables are documentation users copy
// names from: they must list exactly what the code has (two presets were
// missing once), with the same convention, activation and gate.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conventionTensorName } from '../src/import/conventions.js';
import { type Gate, IMPORT_PRESETS, NAMING_CONVENTIONS, REDUCTION_PRESETS } from '../src/index.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The rows of the Markdown table whose header row starts with `header`, as cells. */
function table(header: string): string[][] {
  const lines = README.split('\n');
  const start = lines.findIndex((l) => l.startsWith(header));
  if (start < 0) throw new Error(`no table whose header starts "${header}" in the README`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** `name` out of a `` `name` `` cell, or the cell's text. */
const code = (cell: string | undefined) => (cell ?? '').replace(/^`(.*?)`.*$/, '$1');

function gateText(gate: Gate): string {
  if (gate.type === 'sigmoid') return 'sigmoid';
  return `hard-sigmoid ${gate.alpha === 1 / 6 ? '1/6' : gate.alpha}`;
}

describe('README tables match the code', () => {
  it('import presets: every one, with its kind, convention, activation, gate and squeeze', () => {
    const rows = table('| preset | kind | convention |');
    expect(rows.map((r) => code(r[0])).sort()).toEqual(Object.keys(IMPORT_PRESETS).sort());
    for (const [name, kind, convention, act, gate, squeeze] of rows) {
      const preset = IMPORT_PRESETS[code(name) as keyof typeof IMPORT_PRESETS];
      const gain = preset.gain !== undefined && preset.gain !== 1 ? `, gain ${preset.gain}` : '';
      expect([kind, code(convention), act, gate, squeeze], code(name)).toEqual([
        NAMING_CONVENTIONS[preset.convention as keyof typeof NAMING_CONVENTIONS].kind,
        preset.convention,
        preset.activation ?? '—',
        gateText(preset.gate),
        `${preset.squeeze}${gain}`,
      ]);
    }
  });

  it('naming conventions: every one, with its kind, first tensor name and layouts', () => {
    const rows = table('| convention | kind |');
    expect(rows.map((r) => code(r[0])).sort()).toEqual(Object.keys(NAMING_CONVENTIONS).sort());
    for (const [name, kind, first, layouts] of rows) {
      const c = NAMING_CONVENTIONS[code(name) as keyof typeof NAMING_CONVENTIONS];
      const firstKey = Object.keys(c.tensors)[0] as string;
      expect([kind, code(first), layouts], code(name)).toEqual([
        c.kind,
        conventionTensorName(c, '<prefix>', c.tensors[firstKey] as string),
        c.layouts.join(', ') || '—',
      ]);
    }
  });

  it('reduction presets: every one', () => {
    // The first cell reads "`paper` (Hu et al., …)": the name is the code span.
    const names = table('| preset | rule |').map((r) => code(r[0]));
    expect(names.sort()).toEqual([...REDUCTION_PRESETS].sort());
  });
});
