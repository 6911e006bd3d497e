// The public shape of sessions, modelled on onnxruntime's own InferenceSession: feeds and
// fetches by name, tensors in and out, the names and metadata of inputs and outputs, and the
// runtime session underneath. Implementations: model-session.ts and se-session.ts.
import type { Layout } from '@seblock/se-core';
import type { OrtModuleLike, OrtSessionLike, OrtTensorLike, RuntimeName } from './runtime.js';

/** onnxruntime's graph optimisation levels. */
export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'layout' | 'all';
/** An execution provider name ('cpu', 'wasm', 'webgpu', 'webgl', …) or its options object. */
export type ExecutionProvider =
  | string
  | { readonly name: string; readonly [option: string]: unknown };

export interface SessionOptions<T extends OrtTensorLike = OrtTensorLike> {
  /** 'node' loads onnxruntime-node, 'web' loads onnxruntime-web (wasm in Node; wasm, webgpu or webgl in browsers). */
  readonly runtime: RuntimeName;
  /** Default: ['cpu'] for node, ['wasm'] for web. */
  readonly executionProviders?: readonly ExecutionProvider[];
  /** Default 'all' (onnxruntime's own default). */
  readonly graphOptimizationLevel?: GraphOptimizationLevel;
  /**
   * The runtime module to use instead of importing one (e.g. `await import('onnxruntime-web/webgpu')`
   * or the `ort` you imported yourself). Given, feeds and results are typed as its `ort.Tensor`.
   */
  readonly ort?: OrtModuleLike<T>;
  /** Passed through to InferenceSession.create (merged under the options above). */
  readonly sessionOptions?: Readonly<Record<string, unknown>>;
  /**
   * Where a session reports a risk it cannot rule out (default `console.warn`); for example
   * `createModelSession` on webgpu with ReduceMean/ReduceMax nodes. `() => {}` silences it.
   */
  readonly warn?: (message: string) => void;
}

/** An input or output of a model, as onnxruntime's `InferenceSession.ValueMetadata` describes one. */
export interface ValueMetadata {
  readonly name: string;
  /** Whether it is a tensor (not a sequence or map). */
  readonly isTensor: boolean;
  /** onnxruntime's tensor type ('float32', 'int64', …); undefined when not a tensor or not declared. */
  readonly type: string | undefined;
  /**
   * The declared dims: a number is fixed, a string is a symbolic dim's name ('' when unnamed);
   * undefined when the model declares no shape.
   */
  readonly shape: readonly (number | string)[] | undefined;
}

/**
 * A loaded ONNX model. `run` is onnxruntime's: feeds and fetches by name, tensors in and out.
 * Every feed is checked against the model's inputs before onnxruntime sees it (names, tensor
 * type, rank, fixed dims, symbolic dims that must agree), so a bad feed is an SEShapeError or
 * SEModelError naming the input; an error onnxruntime still throws is an SEModelError whose
 * `cause` is the runtime's error.
 */
export interface ModelSession<T extends OrtTensorLike = OrtTensorLike> {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Types and shapes of the inputs, from the model, in `inputNames` order. */
  readonly inputMetadata: readonly ValueMetadata[];
  readonly outputMetadata: readonly ValueMetadata[];
  /** The runtime module the session runs on: `new session.ort.Tensor('float32', data, dims)` makes a feed. */
  readonly ort: OrtModuleLike<T>;
  /** onnxruntime's own InferenceSession, for what this package does not wrap. */
  readonly inferenceSession: OrtSessionLike<T>;
  /**
   * Runs the model: `feeds` maps every input name to a tensor; `fetches` lists the outputs to
   * compute (default: all). Resolves to the outputs by name.
   */
  run(feeds: Readonly<Record<string, T>>, fetches?: readonly string[]): Promise<Record<string, T>>;
  /**
   * The typed-array path for a model with one float32 input: feeds `x` with `shape` and
   * resolves to the first output's values (float32).
   */
  runArray(x: Float32Array, shape: readonly number[]): Promise<Float32Array>;
  /** Releases the runtime session; later runs throw an SEModelError. Safe to call twice. */
  release(): Promise<void>;
}

/** A loaded SE block (input `x`, output `y`; feeds are also checked against the block's channels and layout). */
export interface SESession<T extends OrtTensorLike = OrtTensorLike>
  extends Omit<ModelSession<T>, 'inferenceSession'> {
  /** The ONNX model the session runs (built by buildSEModel). */
  readonly model: Uint8Array;
  readonly layout: Layout;
  /**
   * onnxruntime's InferenceSession; undefined on webgl with dynamic dims, where one static-shape
   * session is opened per input shape on first use (webgl rejects symbolic dims).
   */
  readonly inferenceSession: OrtSessionLike<T> | undefined;
}
