import type { Layout } from '@seblock/se-core';
import type { SEGraphOptions } from '../build/options.js';
import type { ExecutionProvider } from './session.js';

/** The op form a session writes when the caller does not choose one. */
export type SessionForm = Pick<SEGraphOptions, 'fullyConnected' | 'squeezeOp' | 'erf'>;

/**
 * The fastest NCHW form per execution provider, measured with se-bench (`pnpm bench`,
 * docs/performance.md): every form gives the same numbers (within 1.16 ULPs of the float64
 * reference on the bench blocks), so only time decides.
 * - cpu (onnxruntime-node 1.30, one thread): ReduceMean beats GlobalAveragePool at every
 *   size (8×256×56×56: about 13–15 ms against 18–19 ms), because at optimisation level 'all'
 *   onnxruntime moves GlobalAveragePool to its blocked NCHWc layout and pays two reorders
 *   of x; the FC op makes no measurable difference, Gemm is one node.
 * - wasm (onnxruntime-web 1.30): GlobalAveragePool beats ReduceMean (12 ms against 16 ms),
 *   and a 1×1 Conv is 4× slower than Gemm for 2048 channels (7×7×2048: 11 ms against 2.8 ms).
 * - webgl: MatMul and the polynomial erf, for correctness rather than speed (packed 1×1 Conv
 *   shaders do not compile; there is no Erf operator, which exact GELU needs).
 * - webgpu (not measured here yet): the builder's own default.
 */
export const FASTEST_FORMS: Readonly<Record<string, SessionForm>> = {
  cpu: { fullyConnected: 'gemm', squeezeOp: 'reduce' },
  wasm: { fullyConnected: 'gemm', squeezeOp: 'global-pool' },
  webgl: { fullyConnected: 'matmul', erf: 'polynomial' },
};

function providerName(ep: ExecutionProvider | undefined): string | undefined {
  return typeof ep === 'string' ? ep : ep?.name;
}

/**
 * The form for a session on these providers (the first one is onnxruntime's first choice).
 * NHWC keeps ReduceMean (GlobalAveragePool assumes channels on axis 1); webgl's MatMul
 * applies to both layouts.
 */
export function fastestForm(
  executionProviders: readonly ExecutionProvider[],
  layout: Layout,
): SessionForm {
  const form = FASTEST_FORMS[providerName(executionProviders[0]) ?? ''];
  if (!form) return {};
  if (layout === 'NHWC')
    return form.fullyConnected === 'matmul'
      ? { fullyConnected: 'matmul', ...(form.erf ? { erf: form.erf } : {}) }
      : {};
  return form;
}
