// In-page runners for se-conformance's suite. se-conformance has the same two runners
// (src/backends/tfjs-runner.ts, ort-runner.ts) but does not export them; these follow the same
// contract (its BackendRunner type) with the adapters' public APIs only.

import {
  type BackendRunner,
  CaseUnsupportedError,
  type ConformanceCase,
} from '@seblock/se-conformance';
import { transposeLayout } from '@seblock/se-core';
import { createSESession, type OrtModuleLike } from '@seblock/se-onnxruntime';
import { seBlock } from '@seblock/se-tfjs';
import * as tf from '@tensorflow/tfjs-core';

/** Runs each case through `seBlock` on one TF.js backend, in NHWC as a TF.js model would. */
export async function tfjsRunner(backendName: string): Promise<BackendRunner> {
  if (!(await tf.setBackend(backendName)))
    throw new Error(`tf.setBackend('${backendName}') could not initialise it`);
  await tf.ready();
  const backend = tf.backend() as { floatPrecision?: () => number };
  return {
    // WebGL on a device without float32 render targets computes in half floats. floatPrecision()
    // alone says 16 even with float32 textures (tensorflow/tfjs#6980, see se-tfjs' README), so the
    // render flag decides, and a device that has float32 targets is held to float32 tolerances.
    precision:
      backendName === 'webgl' &&
      !tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED') &&
      backend.floatPrecision?.() === 16
        ? 'float16'
        : 'float32',
    versions: { 'tfjs-core': tf.version_core, backend: backendName },
    async run(testCase: ConformanceCase) {
      // TF.js keeps one active backend per page: select ours for every case.
      await tf.setBackend(backendName);
      const [n, c, h, w] = testCase.shape as [number, number, number, number];
      const x = tf.tensor4d(transposeLayout(testCase.x, testCase.shape, 'NCHW'), [n, h, w, c]);
      try {
        const y = seBlock(x, testCase.block, { layout: 'NHWC' });
        const values = (await y.data()) as Float32Array;
        y.dispose();
        return transposeLayout(values, [n, h, w, c], 'NHWC');
      } finally {
        x.dispose();
      }
    },
    async dispose() {},
  };
}

/** Runs each case through `createSESession` (NCHW, ONNX's own layout) on one execution provider. */
export async function ortRunner(
  ort: OrtModuleLike & { env: { versions?: Record<string, string | undefined> } },
  executionProvider: string,
  unsupported: (testCase: ConformanceCase) => string | undefined,
): Promise<BackendRunner> {
  // A first tiny block, so a provider that cannot start is a skipped backend, not 27 errors.
  const probe = await createSESession(
    {
      spec: {
        version: 1,
        channels: 2,
        reducedChannels: 1,
        squeeze: 'avg',
        activation: 'relu',
        gate: { type: 'sigmoid' },
        bias: false,
        gain: 1,
      },
      weights: { fc1Weight: new Float32Array([0.5, -0.5]), fc2Weight: new Float32Array([1, -1]) },
    },
    { runtime: 'web', ort, executionProviders: [executionProvider] },
  );
  try {
    await probe.run(new Float32Array([1, 2, 3, 4]), [1, 2, 1, 2]);
  } finally {
    await probe.dispose();
  }
  const versions: Record<string, string> = { ep: executionProvider };
  for (const [k, v] of Object.entries(ort.env.versions ?? {})) if (v) versions[k] = v;
  return {
    precision: 'float32',
    versions,
    async run(testCase: ConformanceCase) {
      const reason = unsupported(testCase);
      if (reason) throw new CaseUnsupportedError(reason); // reported as a skipped cell
      const session = await createSESession(testCase.block, {
        runtime: 'web',
        ort,
        executionProviders: [executionProvider],
      });
      try {
        return await session.run(testCase.x, testCase.shape);
      } finally {
        await session.dispose();
      }
    },
    async dispose() {},
  };
}
