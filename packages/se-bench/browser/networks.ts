import '@seblock/se-tfjs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import * as ort from 'onnxruntime-web';
import type { Skipped } from '../src/measurement.js';
import { measureBatches } from '../src/networks/batches.js';
import { inputShape, pairInput } from '../src/networks/models.js';
import { timeOrtPair } from '../src/networks/runners/ort-pair.js';
import { loadTfjsPair } from '../src/networks/tfjs-pair.js';
import { type NetworkTiming, PAIR_MEMBERS, type RawPair } from '../src/networks/types.js';
import { gpuUnavailable } from './gpu.js';

// The network suite in Chromium: TF.js webgl and webgpu, onnxruntime-web wasm and webgpu, the
// same seeded networks as in Node. A forward ends when its logits are read back (await
// data()), what a page does. The logits go back to Node, which checks them.

export interface NetworkPageRequest {
  readonly suite: 'networks';
  /** A smoke run: the WebGPU runtimes (20–40 s per forward on Dawn's CPU adapter) stay out. */
  readonly quick: boolean;
  readonly batches: readonly number[];
  readonly timing: NetworkTiming;
  readonly seed: number;
}

/** Typed arrays become plain arrays, so JSON carries them back. */
const plain = (pairs: RawPair[]): RawPair[] =>
  pairs.map((p) => ({
    ...p,
    logits: { plain: Array.from(p.logits.plain), se: Array.from(p.logits.se) },
  }));

async function tfjsPairs(request: NetworkPageRequest, backend: 'webgl' | 'webgpu') {
  const runtime = `tfjs-${backend} (Chromium)`;
  const reason = backend === 'webgpu' ? await gpuUnavailable() : undefined;
  if (reason || !(await tf.setBackend(backend).catch(() => false)))
    return {
      pairs: [],
      skipped: [{ runtime, reason: reason ?? `tf.setBackend('${backend}') failed` }],
    };
  await tf.ready();
  const models = loadTfjsPair(request.seed);
  const forward = async (model: LayersModel, x: tf.Tensor4D) => {
    const y = model.predict(x) as tf.Tensor;
    const logits = await y.data();
    y.dispose();
    return logits as Float32Array;
  };
  try {
    return await measureBatches({
      ...request,
      runtime,
      threads: 1,
      log: () => {},
      prepare: (batch) => {
        const x = tf.tensor4d(pairInput(request.seed, batch), inputShape(batch));
        return {
          forwards: { plain: () => forward(models.plain, x), se: () => forward(models.se, x) },
          dispose: () => x.dispose(),
        };
      },
    });
  } finally {
    for (const member of PAIR_MEMBERS) models[member].dispose();
  }
}

async function ortPairs(request: NetworkPageRequest, provider: 'wasm' | 'webgpu') {
  const runtime = `ort-web-${provider} (Chromium)`;
  const reason = provider === 'webgpu' ? await gpuUnavailable() : undefined;
  if (reason) return { pairs: [], skipped: [{ runtime, reason }] };
  ort.env.wasm.numThreads = 1; // threads need cross-origin isolation
  return timeOrtPair({
    ...request,
    runtime,
    threads: 1,
    session: { runtime: 'web', ort, executionProviders: [provider] },
    log: () => {},
  });
}

/** Every browser runtime on the pair; a runtime that fails is skipped with its error. */
export async function networkPage(request: NetworkPageRequest) {
  const pairs: RawPair[] = [];
  const skipped: Skipped[] = [];
  const info: Record<string, string> = {
    browser: navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium',
  };
  const runs: [string, () => Promise<{ pairs: RawPair[]; skipped: Skipped[] }>][] = [
    ['tfjs-webgl (Chromium)', () => tfjsPairs(request, 'webgl')],
    ['tfjs-webgpu (Chromium)', () => tfjsPairs(request, 'webgpu')],
    ['ort-web-wasm (Chromium)', () => ortPairs(request, 'wasm')],
    ['ort-web-webgpu (Chromium)', () => ortPairs(request, 'webgpu')],
  ];
  for (const [runtime, run] of runs) {
    if (request.quick && runtime.includes('webgpu')) {
      skipped.push({
        runtime,
        reason: "not in --quick: one forward takes 20–40 s on Dawn's CPU adapter here",
      });
      continue;
    }
    try {
      const result = await run();
      pairs.push(...plain(result.pairs));
      skipped.push(...result.skipped);
    } catch (error) {
      skipped.push({ runtime, reason: String(error).slice(0, 300) });
    }
  }
  return { pairs, skipped, info };
}
