/** How the demo colours its output: ANSI 256 colours on a terminal, plain characters elsewhere. */
export interface Palette {
  readonly color: boolean;
  /** A heatmap cell for a level in [0, 1]. */
  cell(level: number, width: number): string;
  /** A heatmap cell for a signed level in [-1, 1]: blue below 0, red above. */
  divergingCell(level: number, width: number): string;
  bold(text: string): string;
  dim(text: string): string;
  good(text: string): string;
  bad(text: string): string;
}

// A dark-blue → teal → yellow ramp (viridis-like) in the 6×6×6 colour cube of 256-colour terminals.
const RAMP = [17, 18, 19, 25, 31, 37, 36, 35, 71, 107, 143, 179, 185, 221, 227, 228];
const SHADES = ['░', '▒', '▓', '█'];
// Dark blue → light grey (0) → dark red.
const DIVERGING = [18, 25, 31, 67, 110, 153, 252, 224, 217, 210, 203, 160, 124];
// Without colour: the sign by shape, the size by weight.
const SIGNED = ['━', '─', '·', '+', '▓', '█'];

const sgr = (code: string, text: string) => `\x1b[${code}m${text}\x1b[0m`;

export function palette(color: boolean): Palette {
  const clamp = (level: number) => Math.min(1, Math.max(0, level));
  if (!color) {
    return {
      color,
      cell: (level, width) =>
        (SHADES[Math.round(clamp(level) * (SHADES.length - 1))] as string).repeat(width),
      divergingCell: (level, width) => {
        const l = Math.max(-1, Math.min(1, level));
        const index =
          l < -0.5 ? 0 : l < -0.15 ? 1 : l <= 0.15 ? 2 : l <= 0.5 ? 3 : l <= 0.85 ? 4 : 5;
        return (SIGNED[index] as string).repeat(width);
      },
      bold: (t) => t,
      dim: (t) => t,
      good: (t) => t,
      bad: (t) => t,
    };
  }
  return {
    color,
    cell: (level, width) =>
      sgr(`48;5;${RAMP[Math.round(clamp(level) * (RAMP.length - 1))]}`, ' '.repeat(width)),
    divergingCell: (level, width) => {
      const l = Math.max(-1, Math.min(1, level));
      const index = Math.round(((l + 1) / 2) * (DIVERGING.length - 1));
      return sgr(`48;5;${DIVERGING[index]}`, ' '.repeat(width));
    },
    bold: (t) => sgr('1', t),
    dim: (t) => sgr('2', t),
    good: (t) => sgr('32', t),
    bad: (t) => sgr('31', t),
  };
}

/** Colour when writing to a terminal, unless NO_COLOR is set; FORCE_COLOR forces it. */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}
