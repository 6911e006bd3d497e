import { describeValue, SEShapeError } from '@seblock/se-core';
import { SEModelError } from '../errors.js';
import { decodeModel } from '../proto/decode.js';
import type { ModelProto } from '../proto/onnx.js';
import { externalDataTensors } from '../proto/tensors.js';
import { checkFeeds, checkFetches, type InputCheck } from './feeds.js';
import { webgpuRiskyReduces, webgpuRunsFirst } from './forms.js';
import { valueMetadata } from './metadata.js';
import {
  describeError,
  loadRuntime,
  type OrtModuleLike,
  type OrtTensorLike,
  type RuntimeName,
} from './runtime.js';
import type { ExecutionProvider, ModelSession, SessionOptions } from './types.js';
import { preferPackedWebgl } from './webgl.js';

export const DEFAULT_PROVIDERS: Readonly<Record<RuntimeName, readonly ExecutionProvider[]>> = {
  node: ['cpu'],
  web: ['wasm'],
};

/** The execution providers a session uses: the caller's, else the runtime's default. */
export function providersOf(options: Pick<SessionOptions, 'runtime' | 'executionProviders'>) {
  return options.executionProviders ?? DEFAULT_PROVIDERS[options.runtime] ?? [];
}

/** A typed error for options that are not an object, before anything reads them. */
export function checkSessionOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw new SEModelError(
      'options',
      `expected { runtime: 'node' | 'web', executionProviders? }, received ${describeValue(options)}`,
    );
  }
}

/** Checks the options object and loads the runtime module (the caller's, or imported now). */
export async function runtimeFor<T extends OrtTensorLike>(
  options: SessionOptions<T>,
): Promise<OrtModuleLike<T>> {
  checkSessionOptions(options);
  const ort =
    options.ort ?? ((await loadRuntime(options.runtime, providersOf(options))) as OrtModuleLike<T>);
  if (typeof ort?.InferenceSession?.create !== 'function' || typeof ort.Tensor !== 'function')
    throw new SEModelError(
      'options.ort',
      'expected an onnxruntime module (InferenceSession, Tensor)',
    );
  return ort;
}

/**
 * The float32 values of an output tensor. Outputs stay on the CPU unless the caller's
 * sessionOptions place them elsewhere; reading `data` of a GPU-located tensor throws in
 * onnxruntime, so those are downloaded with getData().
 */
async function float32Data(tensor: OrtTensorLike | undefined, name: string): Promise<Float32Array> {
  if (!tensor) throw new SEModelError('outputs', `the model produced no output "${name}"`);
  if (tensor.type !== 'float32')
    throw new SEModelError(
      'outputs',
      `output "${name}" is ${tensor.type}, runArray reads float32: use run(feeds)`,
    );
  const onCpu = tensor.location === undefined || tensor.location === 'cpu';
  const data = onCpu ? tensor.data : await tensor.getData?.();
  if (!(data instanceof Float32Array))
    throw new SEModelError(
      'outputs',
      `output "${name}" holds no Float32Array (location ${tensor.location})`,
    );
  return data;
}

/**
 * `runArray` for any session: the model's one float32 input fed with `x` of `shape`, the
 * first output's values back. Shared by model sessions and webgl's per-shape SE sessions.
 */
export async function runArrayOn<T extends OrtTensorLike>(
  session: Pick<ModelSession<T>, 'inputMetadata' | 'outputNames' | 'ort' | 'run'>,
  x: Float32Array,
  shape: readonly number[],
): Promise<Float32Array> {
  const inputs = session.inputMetadata;
  const input = inputs[0];
  if (!input || inputs.length !== 1 || (input.type !== undefined && input.type !== 'float32')) {
    throw new SEModelError(
      'runArray',
      `needs a model with one float32 input, this one has ${inputs.map((i) => `"${i.name}" (${i.type ?? '?'})`).join(', ') || 'none'}: use run(feeds)`,
    );
  }
  if (!(x instanceof Float32Array)) throw new SEShapeError('x', 'a Float32Array', x);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
    throw new SEShapeError('shape', 'an array of non-negative integer dims', shape);
  const count = shape.reduce((a, b) => a * b, 1);
  if (x.length !== count)
    throw new SEShapeError(
      'x',
      `${count} values for shape [${shape.join(', ')}]`,
      `${x.length} values`,
    );
  const output = session.outputNames[0] as string;
  const feed = new session.ort.Tensor('float32', x, [...shape]);
  const results = await session.run({ [input.name]: feed }, [output]);
  const y = await float32Data(results[output], output);
  // Releases GPU buffers; a CPU tensor's dispose leaves the array we return as it is.
  for (const t of Object.values(results)) t.dispose?.();
  return y;
}

/**
 * Opens an onnxruntime session on `model` (decoded already, as `decoded`) and wraps it: feeds
 * checked before the runtime sees them, runtime errors as SEModelErrors with their cause.
 * `checkInput` adds a caller's own check of each input's dims (an SE block's channels).
 */
export async function openModelSession<T extends OrtTensorLike>(
  model: Uint8Array,
  decoded: ModelProto,
  options: SessionOptions<T>,
  checkInput?: InputCheck,
): Promise<ModelSession<T>> {
  const ort = await runtimeFor(options);
  const executionProviders = providersOf(options);
  const where = `${options.runtime}, ${JSON.stringify(executionProviders)}`;
  preferPackedWebgl(ort, executionProviders);
  let inference: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    inference = await ort.InferenceSession.create(model, {
      ...options.sessionOptions,
      executionProviders: [...executionProviders],
      graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    });
  } catch (error) {
    throw new SEModelError(
      'model',
      `onnxruntime (${where}) could not load the model: ${describeError(error)}`,
      undefined,
      { cause: error },
    );
  }
  const inputMetadata = valueMetadata(decoded, inference.inputNames, 'input');
  const outputMetadata = valueMetadata(decoded, inference.outputNames, 'output');
  let released = false;
  const session: ModelSession<T> = {
    inputNames: inference.inputNames,
    outputNames: inference.outputNames,
    inputMetadata,
    outputMetadata,
    ort,
    inferenceSession: inference,
    async run(feeds, fetches) {
      if (released) throw new SEModelError('session', 'run() after release()');
      checkFeeds(feeds, inputMetadata, checkInput);
      const wanted = checkFetches(fetches, inference.outputNames);
      try {
        return await inference.run({ ...feeds }, wanted);
      } catch (error) {
        throw new SEModelError(
          'run',
          `onnxruntime (${where}) failed to run the model: ${describeError(error)}`,
          undefined,
          { cause: error },
        );
      }
    },
    runArray: (x, shape) => runArrayOn(session, x, shape),
    async release() {
      if (released) return;
      released = true;
      await inference.release();
    },
  };
  return session;
}

/**
 * Loads any ONNX model (e.g. one edited by insertSE) in onnxruntime. `run` takes feeds and
 * fetches by name like onnxruntime's own; `runArray(x, shape)` is the short path for a
 * model with one float32 input. Models whose tensors point at external data files are
 * refused: loaded from bytes, onnxruntime would look for those files relative to the
 * process's working directory, and a model must not choose which files get read.
 *
 * @example
 * ```ts
 * import * as ort from 'onnxruntime-node';
 * const session = await createModelSession(seResNetBytes, { runtime: 'node', ort });
 * const { logits } = await session.run({ input: new ort.Tensor('float32', image, [1, 3, 224, 224]) });
 * const y = await session.runArray(image, [1, 3, 224, 224]);     // the same, as a Float32Array
 * await session.release();
 * ```
 */
export async function createModelSession<T extends OrtTensorLike = OrtTensorLike>(
  model: Uint8Array,
  options: SessionOptions<T>,
): Promise<ModelSession<T>> {
  checkSessionOptions(options);
  // Typed errors for bytes that are not a model, before the runtime sees them.
  return openCheckedModelSession(model, decodeModel(model), options);
}

/**
 * {@link createModelSession} on a model its caller has decoded already (`decoded` is `model`'s
 * ModelProto): the same checks and warnings, without decoding the bytes a second time.
 */
export async function openCheckedModelSession<T extends OrtTensorLike>(
  model: Uint8Array,
  decoded: ModelProto,
  options: SessionOptions<T>,
): Promise<ModelSession<T>> {
  const external = externalDataTensors(decoded);
  if (external.length > 0) {
    throw new SEModelError(
      'model',
      `${external.length} tensor(s) are stored as external data (${external
        .slice(0, 3)
        .map((n) => `"${n}"`)
        .join(
          ', ',
        )}): loaded from bytes, onnxruntime would open files the model names, which this package never lets a model do; load it with onnxruntime directly from its path`,
    );
  }
  const providers = providersOf(options);
  const risky = webgpuRunsFirst(providers) ? webgpuRiskyReduces(decoded) : [];
  if (risky.length > 0) {
    (options.warn ?? console.warn)(
      `@seblock/se-onnxruntime: this model runs on onnxruntime-web's webgpu EP and has ${risky.length} ReduceMean/ReduceMax node(s) with the axes as an attribute (${risky.slice(0, 5).join(', ')}${risky.length > 5 ? ', …' : ''}). onnxruntime-web 1.30's webgpu ReduceMean/ReduceMax can then reuse a shader compiled for another input shape and return wrong values when batch × channels > 1024 (README, "webgpu: ReduceMean at opset 18"); write the model at opset 18 or more (the axes become an input), or list 'wasm' first.`,
    );
  }
  return openModelSession(model, decoded, options);
}
