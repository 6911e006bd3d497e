import type { Skipped } from '../../measurement.js';
import type { NetworkTiming, RawPair } from '../types.js';

// What ort.ts and its onnxruntime-web child (ort-web-child.ts) exchange: the request and reply
// over IPC, and the marker lines around each profile the child's onnxruntime-web prints.

export interface OrtWebRequest {
  readonly threads: number;
  readonly batches: readonly number[];
  readonly timing: NetworkTiming;
  readonly seed: number;
  /** Profiled forwards per batch (0: no profile). */
  readonly profileRuns: number;
}

export interface OrtWebReply {
  readonly pairs: RawPair[];
  readonly skipped: Skipped[];
  /** `env.wasm.numThreads` after the module started (onnxruntime-web falls back to 1 when threads are unavailable). */
  readonly threadsInUse: number;
  /** The batches profiled, in the order their runs are in each profile. */
  readonly profiledBatches: number[];
  readonly version: string;
}

export const PROFILE_START = '@@se-bench-profile';
export const PROFILE_END = '@@se-bench-profile-end';
