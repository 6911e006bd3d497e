export interface ProgressOptions {
  readonly label: string;
  readonly total: number;
  readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  /** Bar width in characters. */
  readonly width?: number;
  /** How the count and total are written (default: as integers; a download writes megabytes). */
  readonly formatCount?: (count: number) => string;
}

export interface ProgressBar {
  /** Sets the count done and the text after the bar (loss, accuracy). */
  update(done: number, detail?: string): void;
  /** Draws the final state and ends the line. */
  finish(detail?: string): void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/**
 * One progress bar per epoch. On a terminal it redraws one line (carriage return, at most
 * every 80 ms); elsewhere (a pipe, a CI log, a test) it prints only the finished line, so logs
 * stay readable.
 */
export function progressBar(options: ProgressOptions): ProgressBar {
  const { label, total, stream } = options;
  const width = options.width ?? 24;
  const format = options.formatCount ?? ((n: number) => `${n}`);
  const started = performance.now();
  const live = stream.isTTY === true;
  let lastDraw = 0;
  const render = (done: number, detail: string) => {
    const fraction = total === 0 ? 1 : Math.min(1, done / total);
    const filled = Math.round(fraction * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const percent = `${Math.floor(fraction * 100)}`.padStart(3);
    const count = format(done).padStart(format(total).length);
    return `${label} ${bar} ${percent}% ${count}/${format(total)} ${seconds(performance.now() - started).padStart(6)}${detail ? `  ${detail}` : ''}`;
  };
  return {
    update(done, detail = '') {
      if (!live) return;
      const now = performance.now();
      if (now - lastDraw < 80 && done < total) return;
      lastDraw = now;
      stream.write(`\r${render(done, detail)}\x1b[K`);
    },
    finish(detail = '') {
      stream.write(`${live ? '\r' : ''}${render(total, detail)}${live ? '\x1b[K' : ''}\n`);
    },
  };
}
