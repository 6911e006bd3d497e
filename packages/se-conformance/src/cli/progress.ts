import type { ProgressEvent } from '../suite.js';

/**
 * A one-line progress bar on stderr. On a terminal it redraws in place. When
 * stderr is not a terminal (a CI log, a file, a pipe) a bar cannot redraw:
 * every update would be a line of its own, so nothing is printed while the
 * suite runs and `finish()` prints one line saying how far it got.
 */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr, width = 28) {
  const interactive = Boolean(stream.isTTY);
  let last: ProgressEvent | undefined;
  return {
    update(event: ProgressEvent) {
      last = event;
      if (!interactive) return;
      const { done, total, label } = event;
      const fraction = total === 0 ? 1 : done / total;
      const filled = Math.round(fraction * width);
      const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${done}/${total}`;
      const columns = stream.columns ?? 100;
      stream.write(`\r${`${bar} ${label}`.slice(0, columns - 1).padEnd(columns - 1)}`);
    },
    finish() {
      if (interactive) stream.write('\n');
      else if (last) stream.write(`progress: ${last.done}/${last.total} steps done\n`);
    },
  };
}
