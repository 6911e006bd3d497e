import { createSESession, type OrtModuleLike } from '@seblock/se-onnxruntime';
import { PROBE_BLOCK, PROBE_SHAPE, PROBE_X } from './probe.js';
import type { BackendRunner, ConformanceCase } from './types.js';

export interface OrtRunnerOptions {
  readonly runtime: 'node' | 'web';
  readonly executionProvider: string;
  readonly ort: OrtModuleLike & { env?: { versions?: Record<string, string> } };
}

/**
 * Runs cases through `createSESession` (NCHW, ONNX's own layout) on one
 * execution provider. The probe block is run first so a provider that cannot
 * initialise is reported at detection, not as a failing case.
 */
export async function createOrtRunner(options: OrtRunnerOptions): Promise<BackendRunner> {
  const { runtime, executionProvider, ort } = options;
  const open = (testCase: Pick<ConformanceCase, 'block' | 'shape'>) =>
    createSESession(testCase.block, {
      runtime,
      ort,
      // webgl needs fixed dims: createSESession builds one static model per input shape.
      executionProviders: [executionProvider],
    });
  const probe = await open({ block: PROBE_BLOCK, shape: PROBE_SHAPE });
  try {
    await probe.runArray(PROBE_X, PROBE_SHAPE);
  } finally {
    await probe.release();
  }
  const versions: Record<string, string> = { ...(ort.env?.versions ?? {}), ep: executionProvider };
  return {
    precision: 'float32',
    versions,
    async run(testCase: ConformanceCase) {
      const session = await open(testCase);
      try {
        return await session.runArray(testCase.x, testCase.shape);
      } finally {
        await session.release();
      }
    },
    async dispose() {},
  };
}
