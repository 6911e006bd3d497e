import { type PrecisionClass, transposeLayout } from '@seblock/se-core';
import { seBlock } from '@seblock/se-tfjs';
import type * as tfCore from '@tensorflow/tfjs-core';
import type { BackendRunner, ConformanceCase } from './types.js';

type TF = typeof tfCore;

/**
 * Runs cases through `seBlock` on one TF.js backend. Cases are NCHW; TF.js
 * users work in NHWC, so the runner converts x to NHWC, runs the block the way
 * a TF.js model would, and converts y back. Shared by Node and browser pages.
 */
export async function createTfjsRunner(
  tf: TF,
  backendName: string,
  extraVersions: Record<string, string> = {},
): Promise<BackendRunner> {
  const selected = await tf.setBackend(backendName);
  if (!selected)
    throw new Error(
      `tf.setBackend('${backendName}') failed (registered: ${Object.keys(tf.engine().registryFactory).join(', ')})`,
    );
  await tf.ready();
  // WebGL on a device without float32 render targets computes in half floats. Read the
  // render flag, not backend.floatPrecision(): that reports 16 even when float32
  // rendering is on (tensorflow/tfjs#6980), which would loosen the tolerance wrongly.
  const precision: PrecisionClass =
    backendName === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')
      ? 'float16'
      : 'float32';
  return {
    precision,
    versions: { 'tfjs-core': tf.version_core, backend: backendName, ...extraVersions },
    async run(testCase: ConformanceCase) {
      const [n, c, h, w] = testCase.shape;
      const xNhwc = transposeLayout(testCase.x, testCase.shape, 'NCHW');
      const x = tf.tensor4d(xNhwc, [n, h, w, c], 'float32');
      try {
        const y = seBlock(x, testCase.block, { layout: 'NHWC' });
        const values = (await y.data()) as Float32Array;
        y.dispose();
        return transposeLayout(values, [n, h, w, c], 'NHWC');
      } finally {
        x.dispose();
      }
    },
    async dispose() {
      // The backend stays registered: TF.js keeps one engine per page/process.
    },
  };
}
