import type { Palette } from './palette.js';

export interface HeatmapPanel {
  readonly title: string;
  /** [row][column] */
  readonly matrix: readonly (readonly number[])[];
}

export interface HeatmapOptions {
  readonly rowLabels: readonly string[];
  readonly palette: Palette;
  /**
   * 'sequential': colours from `range[0]` (low) to `range[1]` (high);
   * 'diverging': blue below 0, red above, saturating at ±range[1].
   */
  readonly scale: 'sequential' | 'diverging';
  readonly range: readonly [number, number];
  /** Characters per cell. */
  readonly cellWidth?: number;
}

/**
 * Matrices side by side as terminal heatmaps (one row per label, one cell per column, channel
 * numbers above every 4th column), with the colour scale underneath.
 */
export function renderHeatmaps(panels: readonly HeatmapPanel[], options: HeatmapOptions): string {
  const { palette, range, scale } = options;
  const cellWidth = options.cellWidth ?? 2;
  const [low, high] = range;
  const paint = (v: number) =>
    scale === 'diverging'
      ? palette.divergingCell(high > 0 ? v / high : 0, cellWidth)
      : palette.cell(high > low ? (v - low) / (high - low) : 0.5, cellWidth);
  const labelWidth = Math.max(...options.rowLabels.map((l) => l.length));
  const gap = '   ';
  const widthOf = (panel: HeatmapPanel) => (panel.matrix[0]?.length ?? 0) * cellWidth;
  const lines: string[] = [];
  if (panels.some((panel) => panel.title !== '')) {
    lines.push(
      ''.padEnd(labelWidth + 1) +
        panels
          .map((panel) => panel.title.slice(0, widthOf(panel)).padEnd(widthOf(panel)))
          .join(gap),
    );
  }
  lines.push(
    palette.dim(
      ''.padEnd(labelWidth + 1) +
        panels
          .map((panel) => {
            let ruler = '';
            for (let c = 0; c < widthOf(panel) / cellWidth; c += 4)
              ruler += `${c}`.padEnd(4 * cellWidth);
            return ruler.slice(0, widthOf(panel)).padEnd(widthOf(panel));
          })
          .join(gap),
    ),
  );
  options.rowLabels.forEach((label, r) => {
    const cells = panels.map((panel) => (panel.matrix[r] ?? []).map(paint).join(''));
    lines.push(`${label.padStart(labelWidth)} ${cells.join(gap)}`);
  });
  const steps = 13;
  const legend = Array.from({ length: steps }, (_, i) =>
    paint(low + ((high - low) * i) / (steps - 1)),
  ).join('');
  const fmt = (v: number) => (v > 0 && scale === 'diverging' ? `+${v.toFixed(2)}` : v.toFixed(2));
  lines.push(`${''.padEnd(labelWidth)} ${fmt(low)} ${legend} ${fmt(high)}`);
  return lines.join('\n');
}
