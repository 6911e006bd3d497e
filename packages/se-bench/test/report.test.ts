import { describe, expect, it } from 'vitest';
import { benchCases } from '../src/cases.js';
import type { Measurement } from '../src/measurement.js';
import {
  type BenchReport,
  derive,
  groupSkipped,
  judgeTargets,
  ratioLines,
  toMarkdown,
} from '../src/report.js';
import { measure, median } from '../src/timing.js';

// The harness' arithmetic on made-up timings: no real timing is asserted anywhere.

const headline = benchCases(true).find((c) => c.headline);
if (!headline) throw new Error('no headline case');
const bytes = 4 * headline.shape.reduce((a, b) => a * b, 1);

function row(runtime: string, path: string, role: Measurement['role'], ms: number): Measurement {
  return {
    caseId: headline?.id as string,
    runtime,
    path,
    role,
    layout: 'NCHW',
    timing: { medianMs: ms, minMs: ms, maxMs: ms, runs: 1 },
    bytesMoved: (role === 'limit' ? 2 : 3) * bytes,
  };
}

const report: BenchReport = {
  date: '2026-01-01T00:00:00.000Z',
  quick: true,
  machine: { cpu: 'test cpu', logicalCores: 2, memoryGiB: 8, platform: 'test', node: 'v20' },
  loadAverage: { before: 0.5, after: 0.7 },
  versions: { torch: '1.13' },
  timing: { warmup: 1, repeats: 3, minRepeats: 1, budgetMs: 10 },
  cases: [headline],
  rows: [
    row('memcpy', 'TypedArray.set (preallocated)', 'limit', 3),
    row('memcpy', 'TypedArray.set (preallocated)', 'limit', 2),
    row('pytorch-cpu', 'eager, 1 thread', 'anchor', 2),
    row('tfjs-cpu', 'fused kernel', 'ours', 10),
    row('tfjs-cpu', 'composed ops', 'naive', 1000),
    row('tfjs-wasm', 'fused kernel', 'ours', 4),
    row('ort-node-cpu', 'default form', 'ours', 2.5),
    row('ort-node-cpu', 'default form, inside the runtime', 'diagnostic', 1),
    { ...row('ort-web-webgpu', 'naive', 'naive', 3), worstUlp: 3e5 },
  ],
  skipped: [{ runtime: 'ort-web-wasm', reason: 'not installed' }],
};

describe('report', () => {
  it('derives bandwidth, the fraction of the copy, speed-ups and the PyTorch ratio', () => {
    const cpu = derive(report).find((r) => r.runtime === 'tfjs-cpu' && r.role === 'ours');
    expect(cpu?.speedupOverNaive).toBe(100);
    expect(cpu?.timesPyTorch).toBe(5);
    // SE moves 3 × bytes in 10 ms, the copy 2 × bytes in 2 ms: 0.3 / 1 of its bandwidth.
    expect(cpu?.fractionOfCopy).toBeCloseTo(0.3, 10);
  });

  it('judges a row against the copy timed in its own rounds when it has one', () => {
    const paired = {
      ...row('tfjs-cpu', 'fused kernel', 'ours', 10),
      pairedCopy: { timing: { medianMs: 4, minMs: 4, maxMs: 4, runs: 1 }, bytesMoved: 2 * bytes },
    };
    const [derived] = derive({
      rows: [...report.rows.filter((r) => r.role === 'limit'), paired],
    }).filter((r) => r.role === 'ours');
    // 3 × bytes in 10 ms against 2 × bytes in 4 ms (not the run's best copy, 2 ms): 0.6.
    expect(derived?.fractionOfCopy).toBeCloseTo(0.6, 10);
  });

  it('judges the targets, and says n/a for a runtime it did not measure', () => {
    const targets = Object.fromEntries(judgeTargets(report).map((t) => [t.target, t.met]));
    expect(targets['tfjs-cpu fused ≥ 20× faster than the composed ops']).toBe(true);
    expect(targets["tfjs-wasm ≤ 2× onnxruntime-node's time"]).toBe(true);
    expect(targets["onnxruntime-node ≤ 1.5× PyTorch's time"]).toBe(true);
    expect(targets['tfjs-cpu ≥ 50% of the memory-copy bandwidth']).toBe(false);
    expect(targets['ort-node-cpu ≥ 50% of the memory-copy bandwidth']).toBe(true);
    expect(targets['ort-web-wasm ≥ 50% of the memory-copy bandwidth']).toBeUndefined();
  });

  it("shows the runtime's own share beside the PyTorch target, but judges what a caller pays", () => {
    const slow: BenchReport = {
      ...report,
      rows: report.rows.map((r) =>
        r.role === 'ours' && r.runtime === 'ort-node-cpu'
          ? { ...r, timing: { ...r.timing, medianMs: 5 } }
          : r,
      ),
    };
    const target = judgeTargets(slow).find((t) => t.target.startsWith('onnxruntime-node'));
    expect(target?.met).toBe(false);
    expect(target?.measured).toBe(
      '2.50× (5.00 ms vs 2.00 ms); inside the runtime 0.50× (1.00 ms), the rest is the JS binding',
    );
  });

  it('writes Markdown with the machine, the targets, the skipped runtimes and a table per case', () => {
    const md = toMarkdown(report);
    expect(md).toContain('test cpu, 2 logical cores');
    expect(md).toContain(
      '| tfjs-cpu fused ≥ 20× faster than the composed ops | 100.0× (10.00 ms) | yes |',
    );
    expect(md).toContain('- ort-web-wasm: not installed');
    expect(md).toContain('| tfjs-cpu | fused kernel | ours | NCHW | 10.00 |');
    expect(ratioLines(report)[0]).toContain('ours/naive 0.010 (100.0× faster)');
    expect(md).toContain('## Wrong results');
    expect(md).toContain('- resnet-56x256-b8 ort-web-webgpu naive (NCHW): 300000 ULPs');
  });
});

describe('groupSkipped', () => {
  it('lists a reason once, with every row it skipped', () => {
    expect(
      groupSkipped([
        { runtime: 'a b1', reason: 'refused' },
        { runtime: 'c', reason: 'not installed' },
        { runtime: 'a b8', reason: 'refused' },
      ]),
    ).toEqual([
      { reason: 'refused', runtimes: ['a b1', 'a b8'] },
      { reason: 'not installed', runtimes: ['c'] },
    ]);
  });
});

describe('timing', () => {
  it('takes the median, and runs at least minRepeats times', async () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    let calls = 0;
    const t = await measure(
      () => {
        calls++;
      },
      { warmup: 2, repeats: 5, minRepeats: 5, budgetMs: 0 },
    );
    expect(t.runs).toBe(5);
    expect(calls).toBe(7);
  });
});
