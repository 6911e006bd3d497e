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
// two measurements minutes apart. So both networks are timed in the same rounds, alternating
// which goes first, and the overhead is read from each round's own ratio.
//
// A fast forward is timed as the median of three in a row: the first forward after the other
// network ran pays for caches the other network's 100 MB of weights pushed out, which a process
// serving one network does not see, and which measured larger for the network with more
// distinct buffers (onnxruntime-node, SE-ResNet-50 against ResNet-50, batch 1, one thread:
// +4.2% (+0.9 … +8.6) one forward per round, +0.0% (−2.1 … +2.9) median of three, 40 and 30
// rounds, scripts/network-forms.mjs, 2026-12-03 17:19–17:21 UTC).

type Forward = () => ArrayLike<number> | Promise<ArrayLike<number>>;

/** Forwards faster than this (ms, in the warm-up) are timed as the median of three per round. */
export const FAST_FORWARD_MS = 200;

/**
 * Times each network per round (ResNet-50 first in even rounds, SE-ResNet-50 first in odd ones)
 * and keeps the last logits: one forward per network and round, or the median of three in a
 * row when the warm-up says a forward takes under {@link FAST_FORWARD_MS}. `cpuMs`, when given
 * (Node: process.cpuUsage), says how much CPU the process used per wall-clock ms of the timed
 * forwards.
 */
export async function measurePair(
  forwards: Readonly<Record<PairMember, Forward>>,
  timing: NetworkTiming,
  cpuMs?: () => number,
): Promise<
  Pick<RawPair, 'times' | 'logits' | 'cpuPerWall'> & { readonly forwardsPerRound: number }
> {
  const logits: Partial<Record<PairMember, ArrayLike<number>>> = {};
  const members = Object.keys(PAIR) as PairMember[];
  const times: Record<PairMember, number[]> = { plain: [], se: [] };
  let cpu = 0;
  let wall = 0;
  let slowest = 0;
  const once = async (member: PairMember) => {
    const cpu0 = cpuMs?.() ?? 0;
    const t0 = performance.now();
    logits[member] = await forwards[member]();
    const ms = performance.now() - t0;
    return { ms, cpu: (cpuMs?.() ?? 0) - cpu0 };
  };
  // Warm-up first (not counted); it also says how fast a forward is.
  for (let i = 0; i < timing.warmup; i++)
    for (const member of members) slowest = Math.max(slowest, (await once(member)).ms);
  const perRound = timing.warmup > 0 && slowest < FAST_FORWARD_MS ? 3 : 1;
  const runs = members.map((member) => async () => {
    const round: number[] = [];
    for (let i = 0; i < perRound; i++) {
      const t = await once(member);
      round.push(t.ms);
      wall += t.ms;
      cpu += t.cpu;
    }
    times[member].push(quantile(round, 0.5));
  });
  await measureRounds(runs, { ...timing, warmup: 0 }, true);
  return {
    times,
    logits: logits as Record<PairMember, ArrayLike<number>>,
    forwardsPerRound: perRound,
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
