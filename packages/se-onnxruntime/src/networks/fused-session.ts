import { SEModelError } from '../errors.js';
import { decodeModel } from '../proto/decode.js';
import { encodeModel } from '../proto/onnx.js';
import { openCheckedModelSession, providersOf, runtimeFor } from '../session/model-session.js';
import { describeError, type OrtModuleLike, type OrtTensorLike } from '../session/runtime.js';
import type { ModelSession, SessionOptions } from '../session/types.js';
import { fuseScaleResidual } from './fused-residual.js';

// onnxruntime's offline optimisation, then fused-residual.ts on its result: the first session
// only optimises and writes its graph to a temporary file (onnxruntime's
// optimizedModelFilePath, which is how it hands out its optimised graph), the second runs the
// rewritten graph with optimisation off (it is optimised already; running the NCHWc transformer
// again would find nothing to do). Node only: the file needs node:fs.

/** Node's modules, imported by a variable name so web bundlers leave them alone. */
async function nodeModule<T>(name: string): Promise<T> {
  return (await import(/* @vite-ignore */ name)) as T;
}

/** onnxruntime's own optimised graph of `model` at level 'all' on the caller's providers. */
async function optimisedByOnnxruntime<T extends OrtTensorLike>(
  ort: OrtModuleLike<T>,
  model: Uint8Array,
  options: SessionOptions<T>,
): Promise<Uint8Array> {
  const fs = await nodeModule<typeof import('node:fs/promises')>('node:fs/promises');
  const { tmpdir } = await nodeModule<typeof import('node:os')>('node:os');
  const { join } = await nodeModule<typeof import('node:path')>('node:path');
  // A profile of the caller's belongs to the session that runs, not to this one.
  const {
    enableProfiling: _p,
    profileFilePrefix: _f,
    ...sessionOptions
  } = options.sessionOptions ?? {};
  const dir = await fs.mkdtemp(join(tmpdir(), 'seblock-optimised-'));
  try {
    const file = join(dir, 'optimised.onnx');
    const session = await ort.InferenceSession.create(model, {
      // onnxruntime warns that a saved NCHWc graph fits only this machine: it is used right here.
      logSeverityLevel: 3,
      ...sessionOptions,
      executionProviders: [...providersOf(options)],
      graphOptimizationLevel: 'all',
      optimizedModelFilePath: file,
    });
    await session.release();
    return new Uint8Array(await fs.readFile(file));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** A session on the fused graph, and how many SE blocks were fused. */
export interface FusedResidualSession<T extends OrtTensorLike> {
  readonly session: ModelSession<T>;
  readonly fused: number;
}

/**
 * Opens `model` (a network in the 'nchwc' scale form, dims fixed) on onnxruntime-node's CPU EP
 * with every SE scale, residual Add and activation fused into one Conv; undefined when the
 * optimised graph has none to fuse (the caller then opens `model` as usual). Errors of the
 * optimisation step are SEModelErrors naming `field`, with onnxruntime's error as the cause.
 */
export async function openFusedResidualSession<T extends OrtTensorLike>(
  model: Uint8Array,
  options: SessionOptions<T>,
  field: string,
): Promise<FusedResidualSession<T> | undefined> {
  const ort = await runtimeFor(options);
  let optimised: Uint8Array;
  try {
    optimised = await optimisedByOnnxruntime(ort, model, options);
  } catch (error) {
    throw new SEModelError(
      field,
      `onnxruntime could not optimise the network offline for the fused SE scale + residual: ${describeError(error)}`,
      undefined,
      { cause: error },
    );
  }
  const { model: rewritten, fused } = fuseScaleResidual(decodeModel(optimised, field));
  if (fused === 0) return undefined;
  // Decoded here already: a second decode of SE-ResNet-50's 100 MB would only repeat it.
  const session = await openCheckedModelSession(encodeModel(rewritten), rewritten, {
    ...options,
    ort,
    graphOptimizationLevel: 'disabled',
  });
  return { session, fused };
}
