import { describe, expect, it } from 'vitest';
import { loadNote, parseBenchArgs } from '../src/args.js';

describe('parseBenchArgs', () => {
  it('reads the flags', () => {
    expect(parseBenchArgs(['--quick', '--only', 'tfjs, onnxruntime', '--out', 'r'])).toEqual({
      quick: true,
      suites: ['blocks', 'networks'],
      help: false,
      only: ['tfjs', 'onnxruntime'],
      out: 'r',
    });
    expect(parseBenchArgs([])).toEqual({
      quick: false,
      suites: ['blocks', 'networks'],
      help: false,
    });
  });

  it('drops the leading -- that `pnpm … bench -- --quick` passes through', () => {
    expect(parseBenchArgs(['--', '--quick']).quick).toBe(true);
  });

  it('rejects an unknown flag and a positional argument', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(/fast/);
    expect(() => parseBenchArgs(['quick'])).toThrow(/quick/);
  });
});

describe('loadNote', () => {
  it('says the CPU was shared only when the load passed the core count', () => {
    expect(loadNote(0.5, 0.8, 2)).toMatch(/not oversubscribed/);
    expect(loadNote(0.5, 3.1, 2)).toMatch(/above the core count/);
  });
});
