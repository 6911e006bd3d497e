import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress, elapsedLabel } from '../src/networks/progress.js';
import { suitePlan } from '../src/networks/suite.js';

// The suite's progress lines on a fake clock: what is printed, never how long anything takes.

afterEach(() => {
  vi.useRealTimers();
});

describe('elapsedLabel', () => {
  it('prints seconds, then minutes and seconds, then hours and minutes', () => {
    expect(elapsedLabel(0)).toBe('0s');
    expect(elapsedLabel(59_999)).toBe('59s');
    expect(elapsedLabel(185_000)).toBe('3m05s');
    expect(elapsedLabel(3_725_000)).toBe('1h02m');
    expect(elapsedLabel(-5)).toBe('0s');
  });
});

describe('createProgress', () => {
  it('stamps lines after their indentation and numbers the steps', () => {
    let clock = 1000;
    const lines: string[] = [];
    const progress = createProgress((line) => lines.push(line), { now: () => clock });
    const done = progress.step('1/4 pytorch');
    clock += 65_000;
    progress.log('  pytorch-cpu 1t b1: done');
    done();
    expect(lines).toEqual([
      '[+0s] [se-bench] networks 1/4 pytorch',
      '  [+1m05s] pytorch-cpu 1t b1: done',
    ]);
  });

  it('says a quiet step is still running, and stops when the step is done', () => {
    vi.useFakeTimers();
    let clock = 0;
    const lines: string[] = [];
    const progress = createProgress((line) => lines.push(line), {
      now: () => clock,
      everyMs: 1000,
    });
    const done = progress.step('2/4 tfjs');
    clock = 1000;
    vi.advanceTimersByTime(1000);
    // A line of the step's own resets the quiet time: no heartbeat right after it.
    clock = 1500;
    progress.log('  tfjs-wasm 1t b1: …');
    clock = 2000;
    vi.advanceTimersByTime(1000);
    done();
    clock = 9000;
    vi.advanceTimersByTime(5000);
    expect(lines).toEqual([
      '[+0s] [se-bench] networks 2/4 tfjs',
      '[+1s] [se-bench] networks 2/4 tfjs: still running (1s in this step)',
      '  [+1s] tfjs-wasm 1t b1: …',
    ]);
  });
});

describe('suitePlan', () => {
  const runners = [{ name: 'pytorch' }, { name: 'tfjs' }];
  it('says what a full run does and how to run less', () => {
    const line = suitePlan({ quick: false, batches: [1, 8], threads: [1, 2] }, runners);
    expect(line).toMatch(/^pytorch, tfjs; batch 1 and 8, 1 and 2 threads; /);
    expect(line).toContain('`--quick`: batch 1, one thread');
    expect(line).toContain('`--suite blocks`');
  });
  it('calls a quick run a smoke run', () => {
    expect(suitePlan({ quick: true, batches: [1], threads: [1] }, runners)).toBe(
      'pytorch, tfjs; batch 1, 1 thread (a smoke run: one round each)',
    );
  });
});
