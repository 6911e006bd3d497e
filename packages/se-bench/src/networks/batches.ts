import type { Skipped } from '../measurement.js';
import { median } from '../timing.js';
import { measurePair } from './paired.js';
import type { NetworkTiming, PairMember, RawPair } from './types.js';

// The batch loop every runner shares (Node and Chromium): batches in increasing size, each
// timed as an alternating pair, and a batch skipped, with the reason, when the smaller one
// says a forward would take too long for several rounds.

/** A batch whose forward would take longer than this (extrapolated) is not timed. */
export const MAX_FORWARD_MS = 30_000;

type Forward = () => ArrayLike<number> | Promise<ArrayLike<number>>;

export interface BatchForwards {
  readonly forwards: Readonly<Record<PairMember, Forward>>;
  /** Frees the batch's input (tensors, buffers). */
  readonly dispose?: () => void | Promise<void>;
}

/**
 * The reason to skip `batch` after a smaller batch's medians, or undefined to time it:
 * the slower network's time scaled by the batch ratio must stay under {@link MAX_FORWARD_MS}.
 */
export function slowBatchReason(
  previous: { readonly batch: number; readonly medianMs: number } | undefined,
  batch: number,
): string | undefined {
  if (!previous) return undefined;
  const estimate = (previous.medianMs * batch) / previous.batch;
  if (estimate <= MAX_FORWARD_MS) return undefined;
  return `batch ${batch} not timed: a batch-${previous.batch} forward took ${(previous.medianMs / 1000).toFixed(1)} s here, so one of batch ${batch} would take about ${(estimate / 1000).toFixed(0)} s (limit ${MAX_FORWARD_MS / 1000} s per forward)`;
}

/** Times every batch as a pair; returns the raw pairs and the batches it had to skip. */
export async function measureBatches(options: {
  readonly runtime: string;
  readonly threads: number;
  readonly batches: readonly number[];
  readonly timing: NetworkTiming;
  readonly prepare: (batch: number) => BatchForwards | Promise<BatchForwards>;
  readonly log: (line: string) => void;
  readonly cpuMs?: () => number;
}): Promise<{ pairs: RawPair[]; skipped: Skipped[] }> {
  const { runtime, threads, timing, log } = options;
  const pairs: RawPair[] = [];
  const skipped: Skipped[] = [];
  let previous: { batch: number; medianMs: number } | undefined;
  for (const batch of [...options.batches].sort((a, b) => a - b)) {
    const reason = slowBatchReason(previous, batch);
    if (reason) {
      skipped.push({ runtime: `${runtime} ${threads} thread${threads > 1 ? 's' : ''}`, reason });
      log(`${runtime}: ${reason}`);
      continue;
    }
    const { forwards, dispose } = await options.prepare(batch);
    try {
      const measured = await measurePair(forwards, timing, options.cpuMs);
      pairs.push({ runtime, threads, batch, ...measured });
      const plain = median(measured.times.plain);
      const se = median(measured.times.se);
      previous = { batch, medianMs: Math.max(plain, se) };
      log(
        `${runtime} ${threads}t b${batch}: ResNet-50 ${plain.toFixed(1)} ms, SE-ResNet-50 ${se.toFixed(1)} ms (${measured.times.se.length} rounds${measured.forwardsPerRound > 1 ? `, median of ${measured.forwardsPerRound} forwards each` : ''})`,
      );
    } finally {
      await dispose?.();
    }
  }
  return { pairs, skipped };
}
