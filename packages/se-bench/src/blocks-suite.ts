import type { BenchCase } from './cases.js';
import { benchCases, sizeOf, uniform } from './cases.js';
import type { Measurement, Runner, Skipped } from './measurement.js';
import { browserRunner } from './runners/browser.js';
import { memcpyRunner } from './runners/memcpy.js';
import { ortRunner } from './runners/ort.js';
import { tfjsRunner } from './runners/tfjs.js';
import { torchRunner } from './runners/torch.js';
import type { TimingOptions } from './timing.js';

// The block suite: one SE block per ResNet-50 stage (and a MobileNetV3 one) on every runtime,
// against a memory copy of the same x.

// The copy runs first and last: on a shared machine the faster of the two is the limit.
export const BLOCK_RUNNERS: readonly Runner[] = [
  memcpyRunner,
  torchRunner,
  tfjsRunner,
  ortRunner,
  browserRunner,
  memcpyRunner,
];

/** Runs the block suite: every selected runner (memcpy always) on every case. */
export async function runBlockSuite(options: {
  readonly quick: boolean;
  readonly only?: readonly string[];
  readonly log: (line: string) => void;
  /** Called before each runner (the load average is sampled there). */
  readonly onRunner?: (name: string) => void;
}): Promise<{
  timing: TimingOptions;
  cases: BenchCase[];
  rows: Measurement[];
  skipped: Skipped[];
  versions: Record<string, string>;
}> {
  const { quick, only, log } = options;
  const timing: TimingOptions = quick
    ? { warmup: 1, repeats: 5, minRepeats: 3, budgetMs: 300 }
    : { warmup: 3, repeats: 30, minRepeats: 7, budgetMs: 1500 };
  const slowTiming: TimingOptions = {
    warmup: 1,
    repeats: quick ? 2 : 5,
    minRepeats: 2,
    budgetMs: 0,
  };
  const cases = benchCases(quick);
  const inputSeeds = Object.fromEntries(cases.map((c, i) => [c.id, 1000 + i]));
  const inputs = new Map(
    cases.map((c) => [c.id, uniform(sizeOf(c.shape), inputSeeds[c.id] as number)]),
  );
  const rows: Measurement[] = [];
  const skipped: Skipped[] = [];
  const versions: Record<string, string> = {};
  for (const runner of BLOCK_RUNNERS) {
    if (only && runner.name !== 'memcpy' && !only.includes(runner.name)) continue;
    log(`[se-bench] ${runner.name}`);
    options.onRunner?.(runner.name);
    try {
      const result = await runner.run({
        cases,
        inputs,
        inputSeeds,
        timing,
        slowTiming,
        log: (line) => log(`  ${line}`),
      });
      rows.push(...result.rows);
      skipped.push(...result.skipped);
      Object.assign(versions, result.info ?? {});
    } catch (error) {
      skipped.push({
        runtime: runner.name,
        reason: `failed: ${(error as Error).stack ?? String(error)}`,
      });
    }
  }
  return { timing, cases, rows, skipped, versions };
}
