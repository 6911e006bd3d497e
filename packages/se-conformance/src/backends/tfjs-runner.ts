import { type PrecisionClass, transposeLayout } from '@seblock/se-core';
import { hasFusedSEKernel, seBlock } from '@seblock/se-tfjs';
import type * as tfCore from '@tensorflow/tfjs-core';
import { COMPOSED_ONLY, TFJS_VARIANTS, type TfjsVariant } from './tfjs-variants.js';
import type { BackendRunner, ConformanceCase } from './types.js';
import { variantNames, variantOptions } from './variants.js';

type TF = typeof tfCore;

/**
 * Runs cases through `seBlock` on one TF.js backend. Cases are NCHW: for an NHWC variant the
 * runner converts x to NHWC, runs the block the way a TF.js model would, and converts y
 * back. Shared by Node and browser pages.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-cpu';
 * const runner = await createTfjsRunner(tf, 'cpu');
 * const y = await runner.run(goldenCase, 'composed NCHW');
 * ```
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
  const variants: Readonly<Record<string, TfjsVariant>> = hasFusedSEKernel(backendName)
    ? TFJS_VARIANTS
    : COMPOSED_ONLY;
  return {
    precision,
    versions: { 'tfjs-core': tf.version_core, backend: backendName, ...extraVersions },
    variants: variantNames(variants),
    async run(testCase: ConformanceCase, variant?: string) {
      const { fused, layout } = variantOptions(variants, variant, `tfjs ${backendName}`);
      // Another runner in the same page or process may have switched the engine's backend.
      if (tf.getBackend() !== backendName) await tf.setBackend(backendName);
      const [n, c, h, w] = testCase.shape;
      const nchwShape: [number, number, number, number] = [n, c, h, w];
      const nhwcShape: [number, number, number, number] = [n, h, w, c];
      const x =
        layout === 'NHWC'
          ? tf.tensor4d(transposeLayout(testCase.x, testCase.shape, 'NCHW'), nhwcShape, 'float32')
          : tf.tensor4d(testCase.x, nchwShape, 'float32');
      try {
        const y = seBlock(x, testCase.block, { layout, fused });
        const values = (await y.data()) as Float32Array;
        y.dispose();
        return layout === 'NHWC' ? transposeLayout(values, nhwcShape, 'NHWC') : values;
      } finally {
        x.dispose();
      }
    },
    liveTensors: () => tf.memory().numTensors,
    async dispose() {
      // The backend stays registered: TF.js keeps one engine per page/process.
    },
  };
}
