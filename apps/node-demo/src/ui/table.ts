/** Visible width of a string that may hold ANSI colour codes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the colour codes it skips
const visibleLength = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '').length;

/**
 * A plain text table: a header, a rule, the rows; columns aligned (numbers, i.e. every column
 * but the first, to the right, unless `align` says otherwise).
 */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align?: readonly ('left' | 'right')[],
): string {
  const widths = header.map((h, c) =>
    Math.max(visibleLength(h), ...rows.map((row) => visibleLength(row[c] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => {
        const pad = ' '.repeat((widths[c] as number) - visibleLength(cell));
        return (align?.[c] ?? (c === 0 ? 'left' : 'right')) === 'left' ? cell + pad : pad + cell;
      })
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
