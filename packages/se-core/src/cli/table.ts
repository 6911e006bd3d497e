import { oneLine } from './output.js';

/**
 * A plain-text table: columns padded to their widest cell, numbers right-aligned.
 * Plain ASCII so it survives logs, pipes and CI output.
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string[] {
  // Cells quote names from files: escape control characters so a name cannot break the table.
  const cells = rows.map((row) => row.map((cell) => oneLine(String(cell))));
  // reduce, not Math.max(...cells): spreading 100 000 rows overflows the stack.
  const widths = headers.map((h, i) =>
    cells.reduce((widest, row) => Math.max(widest, (row[i] ?? '').length), h.length),
  );
  const numeric = headers.map(
    (_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number'),
  );
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
}
