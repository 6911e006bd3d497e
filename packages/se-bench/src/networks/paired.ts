import { measureRounds, summarise } from '../timing.js';
import {
  type LogitCheck,
  type NetworkTiming,
  PAIR,
  type PairMeasurement,
  type PairMember,
  type RawPair,
} from './types.js';

// SE's overhead is a few percent of a forward, less than the drift of a shared machine between
// two measurements minutes apart. So both networks are timed in the same rounds, one forward
// each, alternating which goes first, and the overhead is read from each round's own ratio.

type Forward = () => ArrayLike<number> | Promise<ArrayLike<number>>;

/**
 * Times one forward of each network per round (ResNet-50 first in even rounds, SE-ResNet-50
 * first in odd ones) and keeps the last logits. `cpuMs`, when given (Node: process.cpuUsage),
 * says how much CPU the process used per wall-clock ms of the timed forwards.
 */
export async function measurePair(
  forwards: Readonly<Record<PairMember, Forward>>,
  timing: NetworkTiming,
  cpuMs?: () => number,
): Promise<Pick<RawPair, 'times' | 'logits' | 'cpuPerWall'>> {
  const logits: Partial<Record<PairMember, ArrayLike<number>>> = {};
  let cpu = 0;
  let wall = 0;
  let timed = false;
  const members = Object.keys(PAIR) as PairMember[];
  const runs = members.map((member) => async () => {
    const cpu0 = cpuMs?.() ?? 0;
    const t0 = performance.now();
    logits[member] = await forwards[member]();
    if (timed) {
      wall += performance.now() - t0;
      cpu += (cpuMs?.() ?? 0) - cpu0;
    }
  });
  // Warm-up first (not counted), then the rounds.
  for (let i = 0; i < timing.warmup; i++) for (const run of runs) await run();
  timed = true;
  const [plain, se] = await measureRounds(runs, { ...timing, warmup: 0 }, true);
  return {
    times: { plain: plain ?? [], se: se ?? [] },
    logits: logits as Record<PairMember, ArrayLike<number>>,
    ...(cpuMs && wall > 0 ? { cpuPerWall: cpu / wall } : {}),
  };
}

/** The q-quantile (0…1) of values, linear between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
}

/** The report's row: medians, the overhead from per-round ratios, and the logit checks. */
export function summarisePair(
  raw: RawPair,
  check: Readonly<Record<PairMember, LogitCheck>>,
): PairMeasurement {
  const rounds = Math.min(raw.times.plain.length, raw.times.se.length);
  const ratios = Array.from(
    { length: rounds },
    (_, i) => (raw.times.se[i] as number) / (raw.times.plain[i] as number) - 1,
  );
  return {
    runtime: raw.runtime,
    threads: raw.threads,
    batch: raw.batch,
    plain: summarise(raw.times.plain),
    se: summarise(raw.times.se),
    overhead: {
      median: quantile(ratios, 0.5),
      low: quantile(ratios, 0.25),
      high: quantile(ratios, 0.75),
    },
    ...(raw.cpuPerWall === undefined ? {} : { cpuPerWall: raw.cpuPerWall }),
    check,
  };
}

/** Process CPU ms (user + system, every thread) in Node. */
export function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
