import type { BenchCase } from './cases.js';
import type { Timing, TimingOptions } from './timing.js';

/**
 * What a row of the report is:
 * - `ours`: the adapter's own path (the fused kernel, the default ONNX form);
 * - `naive`: the same block composed from the runtime's own ops;
 * - `form`: another way of writing the block (ONNX op forms, optimisation levels);
 * - `anchor`: PyTorch, the native reference point;
 * - `limit`: a memory copy of x, the practical bandwidth limit;
 * - `diagnostic`: part of a path, timed from inside the runtime (its own profiler), to show
 *   where the time goes; never what a caller pays, so never judged as a target.
 */
export type Role = 'ours' | 'naive' | 'form' | 'anchor' | 'limit' | 'diagnostic';

export interface Measurement {
  readonly caseId: string;
  /** e.g. `tfjs-cpu`, `ort-node-cpu`, `ort-web-wasm`, `pytorch-cpu`, `memcpy`. */
  readonly runtime: string;
  /** e.g. `fused`, `composed`, `conv+global-pool (all)`. */
  readonly path: string;
  readonly role: Role;
  readonly layout: 'NCHW' | 'NHWC';
  readonly timing: Timing;
  /** Bytes moved per run for the bandwidth column: 3 × x for an SE block, 2 × x for a copy. */
  readonly bytesMoved: number;
  /** Worst error against se-core's float64 reference, in scaled ULPs (not for copies). */
  readonly worstUlp?: number;
  /**
   * A copy of x timed in the same rounds as this path (copy, path, copy, path, …): the fair
   * baseline for "% of copy" on a shared machine, where the run's start and end can differ by 1.6×.
   */
  readonly pairedCopy?: { readonly timing: Timing; readonly bytesMoved: number };
}

/** A runtime that could not be measured here, and why. */
export interface Skipped {
  readonly runtime: string;
  readonly reason: string;
}

export interface RunContext {
  readonly cases: readonly BenchCase[];
  /** x for each case id, NCHW, shared by every runner. */
  readonly inputs: ReadonlyMap<string, Float32Array>;
  /** The seed each case's x was drawn from (uniform(size, seed)), for runners in another process. */
  readonly inputSeeds: Readonly<Record<string, number>>;
  readonly timing: TimingOptions;
  /** Slow paths (composed TF.js on cpu) get fewer runs. */
  readonly slowTiming: TimingOptions;
  readonly log: (line: string) => void;
}

export interface Runner {
  readonly name: string;
  /** Measures every case it can; returns rows and any runtime it had to skip. */
  run(
    context: RunContext,
  ): Promise<{ rows: Measurement[]; skipped: Skipped[]; info?: Record<string, string> }>;
}

export const seBytes = (c: BenchCase) => 3 * 4 * c.shape.reduce((a, b) => a * b, 1);
