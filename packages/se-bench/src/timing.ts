/** How a measurement was repeated. */
export interface TimingOptions {
  /** Untimed runs first (JIT, allocator, caches). */
  readonly warmup: number;
  /** At most this many timed runs... */
  readonly repeats: number;
  /** ...and no more than this long in total (a slow path still gets `minRepeats`). */
  readonly budgetMs: number;
  readonly minRepeats: number;
}

export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly runs: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarise(times: readonly number[]): Timing {
  return {
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    runs: times.length,
  };
}

/** Times `run` (sync or async): warm-up, then timed runs within the budget; the median counts. */
export async function measure(
  run: () => unknown | Promise<unknown>,
  options: TimingOptions,
): Promise<Timing> {
  for (let i = 0; i < options.warmup; i++) await run();
  const times: number[] = [];
  const start = performance.now();
  while (
    times.length < options.minRepeats ||
    (times.length < options.repeats && performance.now() - start < options.budgetMs)
  ) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return summarise(times);
}

/**
 * Runs several paths in rounds (each round runs every path once, in turn) and returns every
 * run's time, per path. With `alternate`, odd rounds run the paths in reverse order, so a
 * path never always follows the same other one (caches, allocator, thermal state).
 */
export async function measureRounds(
  runs: readonly (() => unknown | Promise<unknown>)[],
  options: TimingOptions,
  alternate = false,
): Promise<number[][]> {
  for (let i = 0; i < options.warmup; i++) for (const run of runs) await run();
  const times: number[][] = runs.map(() => []);
  const order = [...runs.keys()];
  const start = performance.now();
  let rounds = 0;
  while (
    rounds < options.minRepeats ||
    (rounds < options.repeats && performance.now() - start < options.budgetMs * runs.length)
  ) {
    for (const i of alternate && rounds % 2 === 1 ? [...order].reverse() : order) {
      const t0 = performance.now();
      await (runs[i] as () => unknown)();
      times[i]?.push(performance.now() - t0);
    }
    rounds++;
  }
  return times;
}

/**
 * Times several paths in rounds (each round runs every path once, in turn), so that load from
 * other work on a shared machine falls on all of them alike: the fair way to rank forms.
 */
export async function measureInterleaved(
  runs: readonly (() => unknown | Promise<unknown>)[],
  options: TimingOptions,
): Promise<Timing[]> {
  return (await measureRounds(runs, options)).map(summarise);
}
