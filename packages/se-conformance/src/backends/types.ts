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

export interface BackendDescriptor {
  /** Unique key of the row: the id plus where it ran (`ort-web-wasm` runs in both). */
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
  /** Runs the case's block on its x (NCHW) and returns y in NCHW. */
  run(testCase: ConformanceCase): Promise<Float32Array>;
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
