import type { ProgressEvent } from '../suite.js';

/**
 * A one-line progress bar on stderr. On a terminal it redraws in place; in a
 * log (CI) it prints a line every 10% so the log shows progress without noise.
 */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr, width = 28) {
  const interactive = Boolean(stream.isTTY);
  let lastDecile = -1;
  return {
    update({ done, total, label }: ProgressEvent) {
      const fraction = total === 0 ? 1 : done / total;
      const filled = Math.round(fraction * width);
      const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${done}/${total}`;
      if (interactive) {
        const columns = stream.columns ?? 100;
        stream.write(`\r${`${bar} ${label}`.slice(0, columns - 1).padEnd(columns - 1)}`);
      } else {
        const decile = Math.floor(fraction * 10);
        if (decile !== lastDecile) {
          lastDecile = decile;
          stream.write(`${bar} ${label}\n`);
        }
      }
    },
    finish() {
      if (interactive) stream.write('\n');
    },
  };
}
