import { describe, expect, it } from 'vitest';
import { modelRunTimes, timeInsideRuntime } from '../src/runners/ort-profile.js';

describe('modelRunTimes', () => {
  it("reads the model_run events of onnxruntime's profile, in ms", () => {
    const events = [
      { cat: 'Session', name: 'session_initialization', dur: 4000 },
      { cat: 'Session', name: 'model_run', dur: 4500 },
      { cat: 'Node', name: 'se/scale_kernel_time', dur: 2900 },
      { cat: 'Session', name: 'model_run', dur: 3900 },
    ];
    expect(modelRunTimes(events)).toEqual([4.5, 3.9]);
  });

  it('refuses a file that is not a list of events', () => {
    expect(() => modelRunTimes({ traceEvents: [] })).toThrow(/JSON array/);
  });
});

describe('timeInsideRuntime', () => {
  it('runs a model with profiling on and returns one time per timed run', async () => {
    const ort = await import('onnxruntime-node');
    const { buildSEModel } = await import('@seblock/se-onnxruntime');
    const { benchCases, blockFor, uniform } = await import('../src/cases.js');
    const spec = benchCases(true).find((c) => c.id === 'resnet-7x2048-b1')?.spec;
    if (!spec) throw new Error('no 7x2048 case');
    const shape = [1, spec.channels, 2, 2];
    const t = await timeInsideRuntime(
      ort as unknown as Parameters<typeof timeInsideRuntime>[0],
      buildSEModel(blockFor(spec)),
      uniform(4 * spec.channels, 3),
      shape,
      { warmup: 2, repeats: 3, minRepeats: 3, budgetMs: 0 },
    );
    expect(t.runs).toBe(3);
    expect(t.minMs).toBeGreaterThan(0);
    expect(t.maxMs).toBeGreaterThanOrEqual(t.medianMs);
  });
});
