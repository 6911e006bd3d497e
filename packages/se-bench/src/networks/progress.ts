// A full network run takes many minutes, and some steps (PyTorch in its child process, a
// Chromium session) print nothing while they work. So every suite line carries the time since
// the suite started, and a heartbeat says which step is still running when it has been quiet.

/** Elapsed time as the log prints it: `42s`, `3m05s`, `1h02m`. */
export function elapsedLabel(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** The suite's clock: lines stamped with the elapsed time, and a heartbeat for quiet steps. */
export interface Progress {
  /** Logs `line` with `[+elapsed]` after its indentation. */
  readonly log: (line: string) => void;
  /**
   * Starts `step` (e.g. `2/4 tfjs`): logs it, then every `everyMs` without another line says
   * it is still running. Returns the function that stops the heartbeat.
   */
  readonly step: (step: string) => () => void;
}

/**
 * A {@link Progress} writing to `log`; `now` and the timers are injectable for tests.
 *
 * @example
 * const progress = createProgress((line) => console.log(line));
 * const done = progress.step('1/4 pytorch');
 * // … the step's own lines through progress.log …
 * done();
 */
export function createProgress(
  log: (line: string) => void,
  options: { readonly everyMs?: number; readonly now?: () => number } = {},
): Progress {
  const now = options.now ?? (() => performance.now());
  const everyMs = options.everyMs ?? 60_000;
  const start = now();
  let lastLine = start;
  const stamped = (line: string) => {
    lastLine = now();
    const indent = /^\s*/.exec(line)?.[0] ?? '';
    log(`${indent}[+${elapsedLabel(lastLine - start)}] ${line.slice(indent.length)}`);
  };
  return {
    log: stamped,
    step(step) {
      const began = now();
      stamped(`[se-bench] networks ${step}`);
      // unref: a forgotten heartbeat must not keep the process alive.
      const timer = setInterval(() => {
        if (now() - lastLine >= everyMs - 1)
          stamped(
            `[se-bench] networks ${step}: still running (${elapsedLabel(now() - began)} in this step)`,
          );
      }, everyMs);
      timer.unref?.();
      return () => clearInterval(timer);
    },
  };
}
