import { transposeLayout } from '@seblock/se-core';
import { createSESession, type OrtModuleLike } from '@seblock/se-onnxruntime';
import { DEFAULT_ORT_VARIANTS, type OrtVariant } from './ort-variants.js';
import { PROBE_BLOCK, PROBE_SHAPE, PROBE_X } from './probe.js';
import type { BackendRunner, ConformanceCase } from './types.js';
import { variantNames, variantOptions } from './variants.js';

export interface OrtRunnerOptions {
  readonly runtime: 'node' | 'web';
  readonly executionProvider: string;
  readonly ort: OrtModuleLike & { env?: { versions?: Record<string, string> } };
  /** The named runs (first = default); default: only the session's own forms. */
  readonly variants?: Readonly<Record<string, OrtVariant>>;
}

/**
 * Runs cases through `createSESession` on one execution provider, one session per case
 * (webgl needs fixed dims: createSESession builds one static model per input shape). The
 * probe block is run first so a provider that cannot initialise is reported at detection,
 * not as a failing case.
 *
 * @example
 * ```ts
 * import * as ort from 'onnxruntime-node';
 * const runner = await createOrtRunner({ runtime: 'node', executionProvider: 'cpu', ort });
 * const y = await runner.run(goldenCase);
 * ```
 */
export async function createOrtRunner(options: OrtRunnerOptions): Promise<BackendRunner> {
  const { runtime, executionProvider, ort } = options;
  const variants = options.variants ?? DEFAULT_ORT_VARIANTS;
  const open = (block: ConformanceCase['block'], variant: OrtVariant) =>
    createSESession(block, { runtime, ort, executionProviders: [executionProvider], ...variant });
  const probe = await open(PROBE_BLOCK, {});
  try {
    await probe.runArray(PROBE_X, PROBE_SHAPE);
  } finally {
    await probe.release();
  }
  const versions: Record<string, string> = { ...(ort.env?.versions ?? {}), ep: executionProvider };
  return {
    precision: 'float32',
    versions,
    variants: variantNames(variants),
    async run(testCase: ConformanceCase, variant?: string) {
      const chosen = variantOptions(variants, variant, `onnxruntime ${executionProvider}`);
      const session = await open(testCase.block, chosen);
      try {
        if (chosen.layout !== 'NHWC') return await session.runArray(testCase.x, testCase.shape);
        const [n, c, h, w] = testCase.shape;
        const nhwc = [n, h, w, c] as const;
        const y = await session.runArray(transposeLayout(testCase.x, testCase.shape, 'NCHW'), nhwc);
        return transposeLayout(y, nhwc, 'NHWC');
      } finally {
        await session.release();
      }
    },
    async dispose() {},
  };
}
