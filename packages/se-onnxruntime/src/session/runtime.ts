import { SEModelError } from '../errors.js';

/** Which onnxruntime package runs the model. */
export type RuntimeName = 'node' | 'web';

// The slice of the onnxruntime JS API we use. Both onnxruntime-node and
// onnxruntime-web implement it (from onnxruntime-common); declaring it here keeps
// our types free of either package, so a user with only one of them type-checks.
// Sessions are generic over the tensor class: pass your `ort` module and feeds and
// results are typed as its `ort.Tensor`.

/** An onnxruntime `Tensor`, as far as this package reads one. */
export interface OrtTensorLike {
  /** The values; onnxruntime throws on reading it for GPU-located tensors (use getData). */
  readonly data: unknown;
  readonly dims: readonly number[];
  /** 'float32', 'int64', … */
  readonly type: string;
  /** 'cpu', 'gpu-buffer', … (onnxruntime ≥ 1.16). */
  readonly location?: string;
  getData?(): Promise<unknown>;
  dispose?(): void;
}
/** An onnxruntime `InferenceSession`, as far as this package uses one. */
export interface OrtSessionLike<T extends OrtTensorLike = OrtTensorLike> {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, T>, fetches: readonly string[]): Promise<Record<string, T>>;
  release(): Promise<void>;
}
/** The onnxruntime module (`import * as ort from 'onnxruntime-node'` or `'onnxruntime-web'`). */
export interface OrtModuleLike<T extends OrtTensorLike = OrtTensorLike> {
  readonly InferenceSession: {
    create(model: Uint8Array, options?: object): Promise<OrtSessionLike<T>>;
  };
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => T;
}

/** The first line of an error's message, at most 300 characters. */
export function describeError(error: unknown): string {
  return error instanceof Error
    ? (error.message.split('\n')[0]?.slice(0, 300) ?? '')
    : String(error).slice(0, 300);
}

function isModuleNotFound(error: unknown, name: string): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === 'ERR_MODULE_NOT_FOUND' ||
    e?.code === 'MODULE_NOT_FOUND' ||
    (typeof e?.message === 'string' &&
      e.message.includes(name) &&
      /cannot find|failed to resolve|not found/i.test(e.message))
  );
}

/** CommonJS packages imported from ESM may put their exports on `default`. */
function namespaceOf(module: unknown): OrtModuleLike {
  const m = module as OrtModuleLike & { default?: OrtModuleLike };
  return m.InferenceSession ? m : (m.default as OrtModuleLike);
}

export async function importRuntime(
  name: string,
  load: () => Promise<unknown>,
  runtime: RuntimeName,
): Promise<OrtModuleLike> {
  try {
    return namespaceOf(await load());
  } catch (error) {
    if (isModuleNotFound(error, name)) {
      throw new SEModelError(
        'options.runtime',
        `runtime '${runtime}' needs the package ${name}, which is not installed: run \`npm install ${name}\` (or pass your own build as options.ort)`,
      );
    }
    throw new SEModelError(
      'options.runtime',
      `could not load ${name}: ${describeError(error)}`,
      undefined,
      { cause: error },
    );
  }
}

/**
 * Loads the runtime package on first use, with dynamic import() so a user who
 * installed only one runtime never loads (or needs) the other.
 * onnxruntime-node's specifier is a variable so web bundlers leave it alone;
 * onnxruntime-web's are literals so bundlers can resolve and split them.
 * The default onnxruntime-web build has the wasm, cpu and webgpu backends
 * but not webgl; asking for webgl loads 'onnxruntime-web/all' instead.
 */
export async function loadRuntime(
  runtime: RuntimeName,
  executionProviders: readonly unknown[],
): Promise<OrtModuleLike> {
  if (runtime === 'node') {
    const name = 'onnxruntime-node';
    return importRuntime(
      name,
      () => import(/* @vite-ignore */ /* webpackIgnore: true */ name),
      runtime,
    );
  }
  if (runtime === 'web') {
    const wantsWebgl = executionProviders.some(
      (ep) => ep === 'webgl' || (ep as { name?: string })?.name === 'webgl',
    );
    return wantsWebgl
      ? importRuntime('onnxruntime-web', () => import('onnxruntime-web/all'), runtime)
      : importRuntime('onnxruntime-web', () => import('onnxruntime-web'), runtime);
  }
  throw new SEModelError(
    'options.runtime',
    `expected 'node' or 'web', received ${JSON.stringify(runtime)}`,
  );
}
