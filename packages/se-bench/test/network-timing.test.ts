import { describe, expect, it, vi } from 'vitest';
import { parseBenchArgs } from '../src/args.js';
import { MAX_FORWARD_MS, slowBatchReason } from '../src/networks/batches.js';
import { measurePair, quantile, summarisePair } from '../src/networks/paired.js';
import type { LogitCheck, NetworkTiming, RawPair } from '../src/networks/types.js';
import { measureRounds } from '../src/timing.js';

// The network suite's timing logic on made-up forwards: no real timing is asserted.

const timing: NetworkTiming = { warmup: 1, repeats: 4, minRepeats: 4, budgetMs: 0, profileRuns: 1 };
const ok: LogitCheck = { worstUlp: 1, allowedUlp: 10, ok: true };

describe('--suite', () => {
  it('runs both suites by default, one when asked, and refuses others', () => {
    expect(parseBenchArgs([]).suites).toEqual(['blocks', 'networks']);
    expect(parseBenchArgs(['--', '--suite', 'networks', '--quick'])).toMatchObject({
      suites: ['networks'],
      quick: true,
    });
    expect(parseBenchArgs(['--suite', 'networks, blocks']).suites).toEqual(['networks', 'blocks']);
    expect(() => parseBenchArgs(['--suite', 'net'])).toThrow(
      /--suite: expected blocks and\/or networks, received "net"/,
    );
    expect(() => parseBenchArgs(['--suite', ''])).toThrow(/--suite/);
  });
});

describe('measureRounds', () => {
  it('alternates the order every round when asked, and keeps one time per run', async () => {
    const calls: string[] = [];
    const times = await measureRounds(
      [() => calls.push('a'), () => calls.push('b')],
      { warmup: 1, repeats: 3, minRepeats: 3, budgetMs: 0 },
      true,
    );
    expect(calls.join('')).toBe('ab' + 'ab' + 'ba' + 'ab');
    expect(times.map((t) => t.length)).toEqual([3, 3]);
  });
});

describe('measurePair', () => {
  it('times both networks per round, not the warm-up, and keeps the last logits', async () => {
    const calls: string[] = [];
    let cpu = 0;
    // Forwards of 300 ms (a fake clock): slow enough for one forward per network and round.
    const clock = { now: 0 };
    const spy = vi.spyOn(performance, 'now').mockImplementation(() => clock.now);
    const forward = (name: string) => () => {
      calls.push(name);
      clock.now += 300;
      cpu += 2; // a fake process clock: 2 ms of CPU per forward
      return Float32Array.of(calls.length);
    };
    const pair = await measurePair({ plain: forward('p'), se: forward('s') }, timing, () => cpu);
    spy.mockRestore();
    expect(pair.forwardsPerRound).toBe(1);
    expect(pair.times.plain).toEqual([300, 300, 300, 300]);
    expect(calls.join('')).toBe('ps' + 'ps' + 'sp' + 'ps' + 'sp');
    expect(pair.times.plain).toHaveLength(4);
    expect(pair.times.se).toHaveLength(4);
    expect(Array.from(pair.logits.plain)).toEqual([10]);
    expect(Array.from(pair.logits.se)).toEqual([9]);
    expect(pair.cpuPerWall).toBeGreaterThan(0);
  });
});

describe('measurePair on fast forwards', () => {
  it('times the median of three forwards in a row per network and round', async () => {
    const calls: string[] = [];
    // ResNet-50's forwards take 5 ms; SE-ResNet-50's first forward in a row 9 ms, then 5.1 ms.
    const clock = { now: 0 };
    const spy = vi.spyOn(performance, 'now').mockImplementation(() => clock.now);
    try {
      const forward = (name: string) => () => {
        const again = calls.at(-1) === name;
        calls.push(name);
        clock.now += name === 'p' ? 5 : again ? 5.1 : 9;
        return Float32Array.of(calls.length);
      };
      const pair = await measurePair({ plain: forward('p'), se: forward('s') }, timing);
      expect(pair.forwardsPerRound).toBe(3);
      expect(calls.join('')).toBe('ps' + 'pppsss' + 'sssppp' + 'pppsss' + 'sssppp');
      expect(pair.times.se).toEqual([5.1, 5.1, 5.1, 5.1].map((t) => expect.closeTo(t, 9)));
      expect(pair.times.plain).toEqual([5, 5, 5, 5]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('summarisePair', () => {
  it('reads the overhead from each round, so a slow round for both cancels', () => {
    const raw: RawPair = {
      runtime: 'test',
      threads: 1,
      batch: 1,
      // Round 3 is twice as slow for both networks (load); every round's ratio is 1.02.
      times: { plain: [100, 100, 200, 100], se: [102, 102, 204, 102] },
      logits: { plain: [], se: [] },
    };
    const p = summarisePair(raw, { plain: ok, se: ok });
    expect(p.overhead.median).toBeCloseTo(0.02, 12);
    expect(p.overhead.low).toBeCloseTo(0.02, 12);
    expect(p.overhead.high).toBeCloseTo(0.02, 12);
    expect(p.plain.medianMs).toBe(100);
    expect(p.se.runs).toBe(4);
    expect(p).not.toHaveProperty('cpuPerWall');
  });

  it('gives quartiles between order statistics', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([1, 2], 0.75)).toBe(1.75);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('slowBatchReason', () => {
  it('times a batch whose extrapolated forward fits the limit, and says why it skips one', () => {
    expect(slowBatchReason(undefined, 8)).toBeUndefined();
    expect(slowBatchReason({ batch: 1, medianMs: MAX_FORWARD_MS / 8 }, 8)).toBeUndefined();
    expect(slowBatchReason({ batch: 1, medianMs: 7100 }, 8)).toBe(
      'batch 8 not timed: a batch-1 forward took 7.1 s here, so one of batch 8 would take about 57 s (limit 30 s per forward)',
    );
  });
});
