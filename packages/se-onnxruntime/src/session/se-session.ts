import { activationDims, type SEBlock } from '@seblock/se-core';
import { checkBlock } from '../build/block.js';
import { type BuildSEModelOptions, buildSEModel } from '../build/build-model.js';
import { SEModelError } from '../errors.js';
import { decodeModel } from '../proto/decode.js';
import { checkFeeds, checkFetches, type InputCheck } from './feeds.js';
import { withSessionForm } from './forms.js';
import { valueMetadata } from './metadata.js';
import {
  checkSessionOptions,
  openModelSession,
  providersOf,
  runArrayOn,
  runtimeFor,
} from './model-session.js';
import type { OrtTensorLike } from './runtime.js';
import type { ModelSession, SESession, SessionOptions } from './types.js';
import { needsStaticShapes } from './webgl.js';

/**
 * Builds an SE block as an ONNX model and loads it in onnxruntime: a {@link ModelSession}
 * with input `x` and output `y` that also checks each feed against the block's channels and
 * layout. The runtime package is imported on first use; a missing one gives an SEModelError
 * naming it. Unless you choose, the model is written in the op forms chosen for the first
 * execution provider (SESSION_FORMS: accurate and right there first, then fast).
 *
 * @example
 * ```ts
 * import * as ort from 'onnxruntime-node';
 * const session = await createSESession(block, { runtime: 'node', ort });   // CPU
 * const { y } = await session.run({ x: new ort.Tensor('float32', x, [1, 64, 56, 56]) });
 * const values = await session.runArray(x, [1, 64, 56, 56]);             // Float32Array
 * await session.release();
 * ```
 */
export async function createSESession<T extends OrtTensorLike = OrtTensorLike>(
  block: SEBlock,
  requested: SessionOptions<T> & BuildSEModelOptions,
): Promise<SESession<T>> {
  checkSessionOptions(requested);
  const checked = checkBlock(block);
  // The forms chosen for the execution provider (forms.ts: SESSION_FORMS), unless the caller chose.
  const providers = providersOf(requested);
  const options = withSessionForm(providers, requested);
  const layout = options.layout ?? 'NCHW';
  const checkInput: InputCheck = (_input, dims, field) =>
    activationDims(dims, layout, checked.spec.channels, field);
  const model = buildSEModel(checked, options);
  const decoded = decodeModel(model);
  if (!needsStaticShapes(providers, [options.batch, options.height, options.width])) {
    const session = await openModelSession(model, decoded, options, checkInput);
    return { ...session, model, layout };
  }

  // webgl rejects symbolic dims: one static-shape model per input shape, opened on first use.
  // Its runtime is loaded now, so a missing package fails here rather than at the first run.
  const ort = await runtimeFor(options);
  const staticOptions = { ...options, ort };
  const inputMetadata = valueMetadata(decoded, [options.inputName ?? 'x'], 'input');
  const outputNames = [options.outputName ?? 'y'];
  const sessions = new Map<string, Promise<ModelSession<T>>>();
  let released = false;
  const session: SESession<T> = {
    model,
    layout,
    ort,
    inferenceSession: undefined,
    inputNames: inputMetadata.map((i) => i.name),
    outputNames,
    inputMetadata,
    outputMetadata: valueMetadata(decoded, outputNames, 'output'),
    async run(feeds, fetches) {
      if (released) throw new SEModelError('session', 'run() after release()');
      checkFeeds(feeds, inputMetadata, checkInput);
      checkFetches(fetches, outputNames);
      const x = feeds[inputMetadata[0]?.name as string] as T;
      const [n, a, b, c] = x.dims as [number, number, number, number];
      const [height, width] = layout === 'NCHW' ? [b, c] : [a, b];
      const key = `${n}x${height}x${width}`;
      let opened = sessions.get(key);
      if (!opened) {
        const fixed = buildSEModel(checked, { ...options, batch: n, height, width });
        opened = openModelSession(fixed, decodeModel(fixed), staticOptions, checkInput);
        sessions.set(key, opened);
      }
      return (await opened).run(feeds, fetches);
    },
    runArray: (x, shape) => runArrayOn(session, x, shape),
    async release() {
      released = true;
      // A shape whose model failed to load left a rejected promise: nothing to release.
      for (const s of sessions.values())
        await s.then((opened) => opened.release()).catch(() => undefined);
      sessions.clear();
    },
  };
  return session;
}
