import type { GoldenCase, PrecisionClass } from '@seblock/se-core';

/** Every backend the suite knows. One that cannot run here is reported as skipped, with its reason. */
export type BackendId =
  | 'tfjs-cpu'
  | 'tfjs-wasm'
  | 'tfjs-node'
  | 'tfjs-node-gpu'
  | 'tfjs-webgl'
  | 'tfjs-webgpu'
  | 'ort-node-cpu'
  | 'ort-node-cuda'
  | 'ort-web-wasm'
  | 'ort-web-webgpu'
  | 'ort-web-webgl';

/** Where a backend runs: this Node process, or a page in Chromium. */
export type RuntimeKind = 'node' | 'browser';

/** The backends that run inside this Node process (the key is the id). */
export type NodeBackendKey =
  | 'tfjs-cpu'
  | 'tfjs-wasm'
  | 'tfjs-node'
  | 'tfjs-node-gpu'
  | 'ort-node-cpu'
  | 'ort-node-cuda'
  | 'ort-web-wasm';

/** The backends that run in a Chromium page (`ort-web-wasm` runs in both: its page row is keyed apart). */
export type BrowserBackendKey =
  | 'tfjs-webgl'
  | 'tfjs-webgpu'
  | 'ort-web-wasm@browser'
  | 'ort-web-webgpu'
  | 'ort-web-webgl';

/**
 * One row of the catalog: a backend and where it runs. Tables keyed by it are declared
 * `satisfies Record<BackendKey, …>` (or the Node/browser half), so a backend added to the
 * catalog without a loader, a variant list or a tolerance does not compile.
 */
export type BackendKey = NodeBackendKey | BrowserBackendKey;

export interface BackendDescriptor {
  /**
   * Unique key of the row: the id plus where it ran (`ort-web-wasm` runs in both). A
   * {@link BackendKey} for the catalog's rows; a page may add rows of its own (e.g. `tfjs-cpu@browser`).
   */
  readonly key: string;
  readonly id: BackendId;
  readonly runtime: RuntimeKind;
  readonly adapter: '@seblock/se-tfjs' | '@seblock/se-onnxruntime';
  readonly device: 'cpu' | 'wasm' | 'gpu';
  /** The class it is expected to be in; detection may report float16 for WebGL. */
  readonly precision: PrecisionClass;
  readonly description: string;
}

/** A conformance case: a golden case plus where it came from. */
export interface ConformanceCase extends GoldenCase {
  /** File name without extension: stable key in reports. */
  readonly id: string;
}

/** A backend that initialised: runs cases, reports its versions. */
export interface BackendRunner {
  /** Precision it actually computes in (e.g. WebGL on a half-float-only device: float16). */
  readonly precision: PrecisionClass;
  /** Library versions that matter for reproducing a result. */
  readonly versions: Readonly<Record<string, string>>;
  /**
   * The named ways this backend can run a block (se-tfjs: fused kernel or composed ops, NHWC
   * or NCHW; se-onnxruntime: the session's own forms, the function form, other operators…).
   * The first is what a user gets by default, and what `run` uses without a variant.
   */
  readonly variants: readonly [string, ...string[]];
  /** Runs the case's block on its x (NCHW) and returns y in NCHW; `variant` is one of {@link BackendRunner.variants}. */
  run(testCase: ConformanceCase, variant?: string): Promise<Float32Array>;
  /** TF.js runners: tensors alive in the engine, so a suite can check that a run leaks none. */
  liveTensors?(): number;
  dispose(): Promise<void>;
}

export type Detection =
  | { readonly available: true; readonly runner: BackendRunner }
  | { readonly available: false; readonly reason: string };

/**
 * Thrown by a runner for a case its backend cannot express (an operator the
 * runtime lacks, with no exact workaround): the cell is reported as
 * skipped with this reason, not as a failure, and not silently dropped.
 */
export class CaseUnsupportedError extends Error {
  override readonly name = 'CaseUnsupportedError';
}
