import type { NetworkCost } from '@seblock/se-core/networks';
import type { Skipped } from '../measurement.js';
import type { Timing, TimingOptions } from '../timing.js';

// The network suite: SE-ResNet-50 against ResNet-50 (the same seeded weights apart from the
// SE blocks) on every runtime, timed in alternating pairs, checked against PyTorch's float64
// logits, and profiled to say where SE's extra time goes.

/** The two networks compared; `plain` is the twin without SE blocks. */
export const PAIR = { plain: 'resnet50', se: 'seresnet50' } as const;
export type PairMember = keyof typeof PAIR;
export type PairNetwork = (typeof PAIR)[PairMember];
/** `plain` then `se`: the order of a round that does not flip. */
export const PAIR_MEMBERS = Object.keys(PAIR) as PairMember[];

/** What a runner measured for one runtime, thread count and batch: raw, before any check. */
export interface RawPair {
  /** e.g. `tfjs-wasm`, `ort-node-cpu`, `ort-web-wasm`, `pytorch-cpu`, `tfjs-webgl (Chromium)`. */
  readonly runtime: string;
  readonly threads: number;
  readonly batch: number;
  /**
   * Per round, ms, in round order (rounds alternate which network runs first): one forward's
   * time, or the median of `forwardsPerRound` in a row.
   */
  readonly times: Readonly<Record<PairMember, readonly number[]>>;
  /** Forwards of each network per round (1, or 3 where a forward is fast; paired.ts). */
  readonly forwardsPerRound?: number;
  /** The logits of the last forward of each network (N × 1000, row-major). */
  readonly logits: Readonly<Record<PairMember, ArrayLike<number>>>;
  /** Process CPU time over wall time during the timed forwards (> 1: more than one thread ran). */
  readonly cpuPerWall?: number;
}

/** One profiled forward, per runtime node (or module, or layer) and operator. */
export interface ProfileEntry {
  /** The runtime's name for what ran: an ONNX node, a PyTorch module path, a TF.js layer. */
  readonly node: string;
  /** Its operator: ONNX op type, `aten::…`, a TF.js layer class or kernel. */
  readonly op: string;
  /** Time per forward, ms. */
  readonly ms: number;
}

export interface RawProfile {
  readonly runtime: string;
  readonly threads: number;
  readonly batch: number;
  readonly network: PairNetwork;
  /** What the profiler's own tool says one forward took (its timeline, or a wall clock). */
  readonly wallMs: number;
  readonly entries: readonly ProfileEntry[];
  /** How the times were taken, for the report (e.g. "onnxruntime profiler, 3 runs"). */
  readonly method: string;
  /** The profiled forward's logits, where it ran another way than the timed one (checked). */
  readonly logits?: ArrayLike<number>;
}

/** What a runner hands back. */
export interface NetworkRunnerResult {
  readonly pairs: RawPair[];
  readonly profiles: RawProfile[];
  readonly skipped: Skipped[];
  readonly info?: Record<string, string>;
}

/** How the suite repeats forwards: `repeats` and `minRepeats` count ROUNDS (paired.ts). */
export interface NetworkTiming extends TimingOptions {
  /** Forwards per network in a profile (after one warm-up). */
  readonly profileRuns: number;
}

export interface NetworkContext {
  readonly quick: boolean;
  readonly batches: readonly number[];
  /** Thread counts to measure where the runtime lets one choose; always starts with 1. */
  readonly threads: readonly number[];
  readonly timing: NetworkTiming;
  /** The seeded scheme's seed: weights by PyTorch name, and the input batch. */
  readonly seed: number;
  readonly log: (line: string) => void;
}

export interface NetworkRunner {
  /** The same names as the block runners', so `--only` selects both. */
  readonly name: string;
  run(context: NetworkContext): Promise<NetworkRunnerResult>;
}

/** A runtime's logits against PyTorch's float64 ones, in float32 ULPs of the largest |logit|. */
export interface LogitCheck {
  readonly worstUlp: number;
  /** 4 ULPs plus twice PyTorch's own float32 error on the same batch (the tests' rule). */
  readonly allowedUlp: number;
  readonly ok: boolean;
}

/** A checked, summarised pair: the row of the report. */
export interface PairMeasurement {
  readonly runtime: string;
  readonly threads: number;
  readonly batch: number;
  readonly plain: Timing;
  readonly se: Timing;
  /**
   * SE-ResNet-50 over ResNet-50 minus one, from the per-round ratios (each round times both):
   * the median, and the lower and upper quartiles as the spread.
   */
  readonly overhead: { readonly median: number; readonly low: number; readonly high: number };
  readonly cpuPerWall?: number;
  readonly check: Readonly<Record<PairMember, LogitCheck>>;
}

/** Parts of a forward a profile is folded into (profile.ts says how). */
export const PROFILE_PARTS = [
  'se.pool',
  'se.fc',
  'se.gate',
  'se.scale',
  /** SE time the runtime does not split (TF.js' fused kernel is one kernel). */
  'se',
  'residual',
  'layout',
  'rest',
] as const;
export type ProfilePart = (typeof PROFILE_PARTS)[number];

/** A profile folded into parts (ms per forward). */
export interface ProfileSummary extends Omit<RawProfile, 'entries' | 'logits'> {
  /** Sum of the entries: the profiled forward's time inside the runtime's operators. */
  readonly totalMs: number;
  readonly parts: Readonly<Record<ProfilePart, number>>;
  /** The profiled forward's logits against PyTorch's, when the profile returned them. */
  readonly check?: LogitCheck;
}

/** networkCost without its per-node list. */
export type CostSummary = Omit<NetworkCost, 'nodes'>;

/** The network suite's part of the report. */
export interface NetworkSuiteReport {
  readonly seed: number;
  readonly image: readonly number[];
  readonly batches: readonly number[];
  readonly threads: readonly number[];
  readonly timing: NetworkTiming;
  /** Per image, from se-core's network IR (networkCost). */
  readonly cost: Readonly<Record<PairMember, CostSummary>>;
  readonly pairs: readonly PairMeasurement[];
  readonly profiles: readonly ProfileSummary[];
  readonly skipped: readonly Skipped[];
}
