import { activationDims, type Layout, type SEBlock, SEShapeError } from '@seblock/se-core';
import { checkBlock } from '../build/block.js';
import { type BuildSEModelOptions, buildSEModel } from '../build/build-model.js';
import { SEModelError } from '../errors.js';
import { decodeModel } from '../proto/decode.js';
import { fastestForm, requiredForm, webgpuRiskyReduces, webgpuRunsFirst } from './forms.js';
import {
  loadRuntime,
  type OrtModuleLike,
  type OrtSessionLike,
  type RuntimeName,
} from './runtime.js';

/** onnxruntime's graph optimisation levels. */
export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'layout' | 'all';
/** An execution provider name ('cpu', 'wasm', 'webgpu', 'webgl', …) or its options object. */
export type ExecutionProvider =
  | string
  | { readonly name: string; readonly [option: string]: unknown };

export interface SessionOptions {
  /** 'node' loads onnxruntime-node, 'web' loads onnxruntime-web (wasm in Node; wasm, webgpu or webgl in browsers). */
  readonly runtime: RuntimeName;
  /** Default: ['cpu'] for node, ['wasm'] for web. */
  readonly executionProviders?: readonly ExecutionProvider[];
  /** Default 'all' (onnxruntime's own default). */
  readonly graphOptimizationLevel?: GraphOptimizationLevel;
  /** A runtime module to use instead of importing one (e.g. `await import('onnxruntime-web/webgpu')`). */
  readonly ort?: OrtModuleLike;
  /** Passed through to InferenceSession.create (merged under the options above). */
  readonly sessionOptions?: Readonly<Record<string, unknown>>;
  /**
   * Where a session reports a risk it cannot rule out (default `console.warn`); for example
   * `createModelSession` on webgpu with ReduceMean/ReduceMax nodes. `() => {}` silences it.
   */
  readonly warn?: (message: string) => void;
}

/** A loaded model with one float32 input and one float32 output. */
export interface ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the model on x of `shape` (feeds the first input), returns the first output. */
  run(x: Float32Array, shape: readonly number[]): Promise<Float32Array>;
  /** Releases the runtime session; later calls to run throw. */
  dispose(): Promise<void>;
}

/** A loaded SE block. */
export interface SESession extends ModelSession {
  /** The ONNX model the session runs (built by buildSEModel). */
  readonly model: Uint8Array;
  readonly layout: Layout;
}

const DEFAULT_PROVIDERS: Record<RuntimeName, readonly ExecutionProvider[]> = {
  node: ['cpu'],
  web: ['wasm'],
};

async function openSession(
  model: Uint8Array,
  options: SessionOptions,
): Promise<OrtSessionLike & { ort: OrtModuleLike }> {
  if (typeof options !== 'object' || options === null) {
    throw new SEModelError('options', "expected { runtime: 'node' | 'web', executionProviders? }");
  }
  const executionProviders = options.executionProviders ?? DEFAULT_PROVIDERS[options.runtime] ?? [];
  const ort = options.ort ?? (await loadRuntime(options.runtime, executionProviders));
  preferPackedWebgl(ort, executionProviders);
  try {
    const session = await ort.InferenceSession.create(model, {
      ...options.sessionOptions,
      executionProviders: [...executionProviders],
      graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    });
    return Object.assign(session, { ort });
  } catch (error) {
    throw new SEModelError(
      'model',
      `onnxruntime (${options.runtime}, ${JSON.stringify(executionProviders)}) could not load the model: ${(error as Error).message?.slice(0, 300)}`,
    );
  }
}

/** The options without keys set to undefined (so they do not hide a default when spread). */
function definedOnly<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as T;
}

async function readOutput(
  tensor: { data: unknown; getData?(): Promise<unknown> } | undefined,
  name: string,
): Promise<Float32Array> {
  if (!tensor) throw new SEModelError('outputs', `the model produced no output "${name}"`);
  // Outputs stay on the CPU by default, so data is there; getData() covers GPU-located ones.
  const data = tensor.data instanceof Float32Array ? tensor.data : await tensor.getData?.();
  if (!(data instanceof Float32Array))
    throw new SEModelError('outputs', `output "${name}" is not float32`);
  return data;
}

function wrap(
  session: OrtSessionLike & { ort: OrtModuleLike },
  check: (x: Float32Array, shape: readonly number[]) => void,
): ModelSession {
  let disposed = false;
  const input = session.inputNames[0] as string;
  const output = session.outputNames[0] as string;
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(x, shape) {
      if (disposed) throw new SEModelError('session', 'run() after dispose()');
      if (!(x instanceof Float32Array)) throw new SEShapeError('x', 'a Float32Array', x);
      check(x, shape);
      const feed = new session.ort.Tensor('float32', x, [...shape]);
      const results = await session.run({ [input]: feed });
      const y = await readOutput(results[output], output);
      for (const t of Object.values(results)) t.dispose?.();
      return y;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await session.release();
    },
  };
}

function checkLength(x: Float32Array, shape: readonly number[]): void {
  const count = shape.reduce((a, b) => a * b, 1);
  if (!shape.every((d) => Number.isInteger(d) && d >= 1) || x.length !== count) {
    throw new SEShapeError(
      'x',
      `${count} values for shape [${shape.join(', ')}]`,
      `${x.length} values`,
    );
  }
}

/**
 * Builds an SE block as an ONNX model and loads it in onnxruntime. The runtime
 * package is imported on first use; a missing one gives an SEModelError naming it.
 *
 * @example
 * ```ts
 * const session = await createSESession(block, { runtime: 'node' });   // onnxruntime-node, CPU
 * const y = await session.run(x, [1, 64, 56, 56]);                      // NCHW Float32Array
 * await session.dispose();
 *
 * // In a browser: onnxruntime-web on WebGPU, model written with Gemm layers.
 * const gpu = await createSESession(block, { runtime: 'web', executionProviders: ['webgpu'], fullyConnected: 'gemm' });
 * ```
 */
export async function createSESession(
  block: SEBlock,
  requested: SessionOptions & BuildSEModelOptions,
): Promise<SESession> {
  const checked = checkBlock(block);
  // The fastest form measured for the execution provider, unless the caller chose; on webgpu the
  // squeeze its kernels compute right, whatever the caller chose (forms.ts: requiredForm).
  // webgl: MatMul whether or not the dims are fixed (its packed 1×1 Conv shaders do not compile).
  const requestedProviders =
    requested.executionProviders ?? DEFAULT_PROVIDERS[requested.runtime] ?? [];
  const sessionOptions = {
    ...fastestForm(requestedProviders, requested.layout ?? 'NCHW'),
    ...requiredForm(requestedProviders, requested),
    ...definedOnly(requested),
  };
  const layout = sessionOptions.layout ?? 'NCHW';
  const check = (x: Float32Array, shape: readonly number[]) => {
    activationDims(shape, layout, checked.spec.channels);
    checkLength(x, shape);
  };
  if (!needsStaticShapes(sessionOptions)) {
    const model = buildSEModel(checked, sessionOptions);
    return { ...wrap(await openSession(model, sessionOptions), check), model, layout };
  }

  // onnxruntime-web's webgl backend (its older engine), measured on 1.30 with the golden cases:
  // - it rejects symbolic dims ("expected shape '[,64,,]'"): build one static-shape model
  //   per input shape, on first use;
  // - in its default unpacked mode it miscomputes 1-channel blocks (off by up to 0.94) with
  //   every FC form; packed mode gets every case right with MatMul or Gemm, but cannot
  //   compile its 1×1 Conv shaders. So: packed mode (unless the caller chose) and MatMul.
  // It has no Erf operator: exact GELU is written with the polynomial erf (options.erf).
  const options: SessionOptions & BuildSEModelOptions = sessionOptions;
  const model = buildSEModel(checked, options);
  const sessions = new Map<string, Promise<ModelSession>>();
  let disposed = false;
  // Load the runtime now, so a missing package fails here rather than at the first run.
  const providers = options.executionProviders ?? [];
  const ort = options.ort ?? (await loadRuntime(options.runtime, providers));
  const staticOptions = { ...options, ort };
  return {
    model,
    layout,
    inputNames: [options.inputName ?? 'x'],
    outputNames: [options.outputName ?? 'y'],
    async run(x, shape) {
      if (disposed) throw new SEModelError('session', 'run() after dispose()');
      check(x, shape);
      const [n, a, b, c] = shape as [number, number, number, number];
      const [height, width] = layout === 'NCHW' ? [b, c] : [a, b];
      const key = `${n}x${height}x${width}`;
      let session = sessions.get(key);
      if (!session) {
        const staticModel = buildSEModel(checked, { ...options, batch: n, height, width });
        session = openSession(staticModel, staticOptions).then((s) => wrap(s, check));
        sessions.set(key, session);
      }
      return (await session).run(x, shape);
    },
    async dispose() {
      disposed = true;
      // A shape whose model failed to load left a rejected promise: nothing to release.
      for (const s of sessions.values())
        await s.then((session) => session.dispose()).catch(() => undefined);
      sessions.clear();
    },
  };
}

/**
 * webgl reads env.webgl.pack when its backend starts; left undefined it becomes false
 * (unpacked), which miscomputes 1-channel SE blocks (see createSESession). Only an
 * unset value is changed: a caller's explicit choice stands.
 */
function preferPackedWebgl(
  ort: OrtModuleLike,
  executionProviders: readonly ExecutionProvider[],
): void {
  const env = (ort as { env?: { webgl?: { pack?: boolean } } }).env;
  if (usesWebgl(executionProviders) && env?.webgl && typeof env.webgl.pack !== 'boolean')
    env.webgl.pack = true;
}

function usesWebgl(executionProviders: readonly ExecutionProvider[]): boolean {
  return executionProviders.some(
    (ep) => ep === 'webgl' || (typeof ep === 'object' && ep.name === 'webgl'),
  );
}

function needsStaticShapes(options: SessionOptions & BuildSEModelOptions): boolean {
  return (
    usesWebgl(options.executionProviders ?? []) &&
    [options.batch, options.height, options.width].some((d) => typeof d !== 'number')
  );
}

/**
 * Loads any ONNX model (e.g. one edited by insertSE) with one float32 input.
 *
 * @example
 * ```ts
 * const session = await createModelSession(insertSE(resnetBytes, insertions), { runtime: 'web' });
 * const logits = await session.run(image, [1, 3, 224, 224]);
 * ```
 */
export async function createModelSession(
  model: Uint8Array,
  options: SessionOptions,
): Promise<ModelSession> {
  // A typed error for bytes that are not a model, before the runtime sees them.
  const decoded = decodeModel(model);
  const providers = options.executionProviders ?? DEFAULT_PROVIDERS[options.runtime] ?? [];
  const risky = webgpuRunsFirst(providers) ? webgpuRiskyReduces(decoded) : [];
  if (risky.length > 0) {
    (options.warn ?? console.warn)(
      `@seblock/se-onnxruntime: this model runs on onnxruntime-web's webgpu EP and has ${risky.length} ReduceMean/ReduceMax node(s) (${risky.slice(0, 5).join(', ')}${risky.length > 5 ? ', …' : ''}). onnxruntime-web 1.30's webgpu ReduceMean/ReduceMax can reuse a shader compiled for another input shape and return wrong values when batch × channels > 1024 (README, "webgpu: no ReduceMean"); write SE blocks with squeezeOp: 'global-pool', or list 'wasm' first.`,
    );
  }
  const session = await openSession(model, options);
  if (session.inputNames.length !== 1) {
    const names = session.inputNames.join(', ');
    await session.release();
    throw new SEModelError(
      'model',
      `run(x, shape) needs a model with one input, this one has ${session.inputNames.length} (${names})`,
    );
  }
  return wrap(session, checkLength);
}
