import { networkCost } from '@seblock/se-core/networks';
import { describe, expect, it } from 'vitest';
import { pairInput, pairNetwork } from '../src/networks/models.js';
import { summariseProfile } from '../src/networks/profile.js';
import { checkLogits, referenceLogits, referenceSeed } from '../src/networks/reference.js';
import {
  networkConsoleLines,
  networkMarkdown,
  networkTargets,
  networkWrongResults,
} from '../src/networks/report.js';
import { checkedPair, checkedProfile, networkTiming } from '../src/networks/suite.js';
import type { NetworkSuiteReport, PairMeasurement, ProfileSummary } from '../src/networks/types.js';

// The references the suite checks logits against, and the report built from made-up timings.

describe('reference logits', () => {
  it("batch 8's first image is se-core's batch-1 fixture: same input, same PyTorch logits", () => {
    const seed = referenceSeed();
    expect(pairInput(seed, 8).subarray(0, 3 * 224 * 224)).toEqual(pairInput(seed, 1));
    for (const network of ['resnet50', 'seresnet50'] as const) {
      const one = referenceLogits(network, 1);
      const eight = referenceLogits(network, 8);
      expect(eight.y64).toHaveLength(8000);
      // Batch 8 may take another convolution algorithm: float64 rounding apart, the same logits.
      const row0 = eight.y64.subarray(0, 1000);
      expect(Math.max(...row0.map((v, i) => Math.abs(v - (one.y64[i] as number))))).toBeLessThan(
        1e-12,
      );
      expect(checkLogits(Float32Array.from(row0), one).ok).toBe(true);
      expect(eight.torchErrorUlps).toBeGreaterThan(0);
    }
    expect(() => referenceLogits('resnet50', 2)).toThrow(/batch 2/);
  });

  it('passes logits within the allowance and fails wrong, NaN and mis-sized ones', () => {
    const ref = { y64: Float64Array.of(2, -1, 0.5), torchErrorUlps: 3 };
    const ulp = 2 ** -22; // float32 spacing at 2
    expect(checkLogits(Float32Array.of(2 + 5 * ulp, -1, 0.5), ref)).toEqual({
      worstUlp: 5,
      allowedUlp: 10,
      ok: true,
    });
    expect(checkLogits(Float32Array.of(2, -1 + 11 * ulp, 0.5), ref).ok).toBe(false);
    expect(checkLogits(Float32Array.of(2, Number.NaN, 0.5), ref).ok).toBe(false);
    expect(checkLogits(Float32Array.of(2, -1), ref).ok).toBe(false);
  });

  it("checks a runner's pair: each network against its own reference", () => {
    const plain = Float32Array.from(referenceLogits('resnet50', 1).y64);
    const se = Float32Array.from(referenceLogits('seresnet50', 1).y64);
    const raw = { runtime: 'test', threads: 1, batch: 1, times: { plain: [2], se: [3] } };
    const right = checkedPair({ ...raw, logits: { plain, se } });
    expect([right.check.plain.ok, right.check.se.ok]).toEqual([true, true]);
    expect(right.overhead.median).toBeCloseTo(0.5, 12);
    // A profile that ran another way than the timed forward is checked too.
    const profile = {
      runtime: 'test',
      threads: 1,
      batch: 1,
      network: 'seresnet50',
      wallMs: 1,
      method: 'm',
      entries: [],
    } as const;
    expect(checkedProfile({ ...profile, logits: se }).check?.ok).toBe(true);
    expect(checkedProfile({ ...profile, logits: plain }).check?.ok).toBe(false);
    expect(checkedProfile(profile)).not.toHaveProperty('check');
    // The two networks' logits swapped: both wrong.
    const swapped = checkedPair({ ...raw, logits: { plain: se, se: plain } });
    expect([swapped.check.plain.ok, swapped.check.se.ok]).toEqual([false, false]);
  });
});

const timing = (medianMs: number) => ({ medianMs, minMs: medianMs, maxMs: medianMs, runs: 5 });
const good = { worstUlp: 3, allowedUlp: 21, ok: true };

function pair(runtime: string, threads: number, plain: number, overhead: number): PairMeasurement {
  return {
    runtime,
    threads,
    batch: 1,
    plain: timing(plain),
    se: timing(plain * (1 + overhead)),
    overhead: { median: overhead, low: overhead - 0.01, high: overhead + 0.01 },
    check: { plain: good, se: good },
  };
}

const { nodes: _a, ...plainCost } = networkCost(pairNetwork('plain'));
const { nodes: _b, ...seCost } = networkCost(pairNetwork('se'));

const report: NetworkSuiteReport = {
  seed: 1,
  image: [3, 224, 224],
  batches: [1],
  threads: [1, 2],
  timing: networkTiming(false),
  cost: { plain: plainCost, se: seCost },
  pairs: [
    pair('pytorch-cpu', 1, 700, 0.018),
    pair('tfjs-wasm', 1, 300, 0.05),
    pair('ort-node-cpu', 1, 150, 0.02),
    pair('ort-node-cpu', 2, 90, 0.03),
    {
      ...pair('tfjs-webgl (Chromium)', 1, 5000, 0.1),
      check: { plain: good, se: { worstUlp: 99, allowedUlp: 21, ok: false } },
    },
  ],
  profiles: [
    summariseProfile(
      {
        runtime: 'ort-node-cpu',
        threads: 1,
        batch: 1,
        network: 'resnet50',
        wallMs: 100,
        method: 'm',
        entries: [{ node: 'layer1.0.conv1', op: 'Conv', ms: 100 }],
      },
      pairNetwork('plain'),
    ),
    summariseProfile(
      {
        runtime: 'ort-node-cpu',
        threads: 1,
        batch: 1,
        network: 'seresnet50',
        wallMs: 104,
        method: 'm',
        entries: [
          { node: 'layer1.0.conv1', op: 'Conv', ms: 100 },
          { node: 'layer1.0.se/scale', op: 'Mul', ms: 3 },
          { node: 'ReorderOutput_token_1', op: 'ReorderOutput', ms: 1 },
        ],
      },
      pairNetwork('se'),
    ),
  ],
  skipped: [{ runtime: 'tfjs-cpu 1 thread', reason: 'batch 8 not timed: too slow' }],
};

describe('network report', () => {
  it('judges the 3% target on batch 1, one thread, and never on wrong logits', () => {
    const targets = networkTargets(report);
    expect(targets.map((t) => t.met)).toEqual([false, true]);
    expect(targets[1]?.measured).toBe('+2.0% (+1.0% … +3.0%); 153 vs 150 ms');
    const wrong = networkTargets({
      ...report,
      pairs: report.pairs.map((p) =>
        p.runtime === 'tfjs-wasm' ? { ...p, check: { ...p.check, se: { ...good, ok: false } } } : p,
      ),
    });
    expect(wrong[0]).toMatchObject({ met: undefined, measured: 'wrong logits: not judged' });
  });

  it('lists wrong logits with their distance from PyTorch', () => {
    expect(networkWrongResults(report)).toEqual([
      'tfjs-webgl (Chromium) 1 thread b1 SE-ResNet-50: 99.0 ULPs of max |logit| from PyTorch float64 (allowed 21.0)',
    ]);
    const wrongProfile = {
      ...report,
      profiles: [
        {
          ...(report.profiles[0] as ProfileSummary),
          check: { worstUlp: 50, allowedUlp: 34, ok: false },
        },
      ],
    };
    expect(networkWrongResults(wrongProfile)).toContain(
      'ort-node-cpu b1 resnet50 profile: 50.0 ULPs of max |logit| from PyTorch float64 (allowed 34.0)',
    );
    expect(networkMarkdown(wrongProfile).join('\n')).toContain(
      '| ort-node-cpu | 1 | ResNet-50 (WRONG LOGITS) |',
    );
    expect(networkConsoleLines(report)[4]).toContain('not judged (wrong logits)');
  });

  it("writes the cost beside the paper's, the pairs, same-thread ratios and the profile split", () => {
    const md = networkMarkdown(report).join('\n');
    expect(md).toContain('| parameters (M) | 25.56 | 28.09 | 2.53 (+9.9%) | 25.6 → 28.1 |');
    expect(md).toContain('| ort-node-cpu | 1 | 1 | 150 | 153 | +2.0% (+1.0% … +3.0%) | 5 |');
    expect(md).toContain('| tfjs-webgl (Chromium) | 1 | 1 | 5000 | 5500 | WRONG LOGITS |');
    // Same threads: against PyTorch's SE-ResNet-50 (712.6 ms at one thread).
    expect(md).toContain('| 1 | 1 | tfjs-wasm | 315 | 0.44× |');
    expect(md).toContain('| 2 | 1 | ort-node-cpu | 92.7 |  |');
    expect(md).toContain(
      '| ort-node-cpu | 1 | **difference** | **4.0** |  |  |  | 3.0 |  |  | 1.0 |  | |',
    );
    expect(md).toContain('- tfjs-cpu 1 thread: batch 8 not timed: too slow');
  });
});
