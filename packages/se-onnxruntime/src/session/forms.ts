import { type Layout, SESpecError } from '@seblock/se-core';
import type { SEGraphOptions } from '../build/options.js';
import { isDefaultDomain, type ModelProto } from '../proto/onnx.js';
import type { ExecutionProvider } from './types.js';

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
 * - webgpu: not timed (here it is Dawn's CPU adapter), but measured for correctness: see
 *   `requiredForm` (below), which makes every webgpu session write GlobalAveragePool /
 *   GlobalMaxPool (the builder's NCHW default) in both layouts. Its ReduceMean/ReduceMax were
 *   wrong by 2.6e5 ULPs in the benchmark, and refusing them is what keeps such numbers from users.
 */
export const FASTEST_FORMS: Readonly<Record<string, SessionForm>> = {
  cpu: { fullyConnected: 'gemm', squeezeOp: 'reduce' },
  wasm: { fullyConnected: 'gemm', squeezeOp: 'global-pool' },
  webgl: { fullyConnected: 'matmul', erf: 'polynomial' },
};

function providerName(ep: ExecutionProvider | undefined): string | undefined {
  return typeof ep === 'string' ? ep : ep?.name;
}

/** Whether onnxruntime gives webgpu the nodes both can run: it is listed before the CPU EP (wasm, cpu). */
export function webgpuRunsFirst(executionProviders: readonly ExecutionProvider[]): boolean {
  const first = executionProviders
    .map(providerName)
    .find((name) => name === 'webgpu' || name === 'wasm' || name === 'cpu');
  return first === 'webgpu';
}

/**
 * The form a session must write on these providers to get right numbers; an explicit request
 * for a form known to be wrong there is an SESpecError rather than silently wrong values.
 *
 * onnxruntime-web 1.30's webgpu EP (its JS kernels, "JSEP") has two ReduceMean/ReduceMax
 * kernels. When N·C > 1024 for NCHW axes [2, 3] (N > 1024 with H < 32 for NHWC axes [1, 2];
 * `useNaiveReduceMethod` in reduce.ts) it takes the "naive" one, whose shader has the reduced
 * dims and the divisor written into its source, but whose cache key holds only the op name
 * and the input's rank (opset ≤ 17 attributes carry no cache key). The first such shader in a
 * page is right; every later naive ReduceMean in the page, from any session or model, reuses it.
 * Measured in Chromium 156 on Dawn's CPU adapter with one-node graphs: after x = 8×256×7×7,
 * ReduceMean of x = 8×256×14×14 is the mean of each map's top-left 7×7 patch (all 2048 outputs
 * wrong, |error| up to 0.26; ReduceMax wrong on 1546 of 2048); 8×128×14×14 stays right,
 * 8×129×14×14 does not; a keepdims change throws "Uniform variable 3 mismatch". An SE block is
 * then 10⁵–10⁶ ULPs off (test/browser/webgpu-reduce.test.ts). GlobalAveragePool/GlobalMaxPool
 * read their sizes from uniforms and were right after every shape change, so webgpu sessions
 * write them, with a Transpose to NCHW first for NHWC (the copy that ReduceMean's other kernel
 * makes internally anyway). ReduceMean at opset ≥ 18 takes the other kernel today only because
 * `useNaiveReduceMethod` reads the axes attribute, not the axes input: refused all the same.
 */
export function requiredForm(
  executionProviders: readonly ExecutionProvider[],
  requested: SessionForm,
): SessionForm {
  if (!webgpuRunsFirst(executionProviders)) return {};
  if (requested.squeezeOp === 'reduce') {
    throw new SESpecError(
      'options.squeezeOp',
      `"global-pool" (or none) on onnxruntime-web's webgpu EP, whose ReduceMean/ReduceMax reuse a shader compiled for an earlier input shape and return wrong values; to run ReduceMean there anyway, build the model with buildSEModel and load it with createModelSession`,
      requested.squeezeOp,
    );
  }
  return { squeezeOp: 'global-pool' };
}

/**
 * The form for a session on these providers (the first one is onnxruntime's first choice).
 * NHWC keeps ReduceMean (a global pool needs a Transpose of x first, not timed; webgpu's
 * `requiredForm` above asks for it anyway); webgl's MatMul applies to both layouts.
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

/**
 * The ReduceMean/ReduceMax nodes of a model (graph and local functions), by name: the ops
 * `requiredForm` keeps out of SE sessions on webgpu. A model of the caller's own cannot be
 * rewritten safely, and whether a node meets the defect depends on shapes known only at run
 * time, so createModelSession warns about them rather than refusing the model.
 */
export function webgpuRiskyReduces(model: ModelProto): string[] {
  const nodes = [
    ...(model.graph?.node ?? []),
    ...(model.functions ?? []).flatMap((f) => f.node ?? []),
  ];
  return nodes
    .filter(
      (n) => (n.opType === 'ReduceMean' || n.opType === 'ReduceMax') && isDefaultDomain(n.domain),
    )
    .map((n) => `${n.opType} "${n.name || n.output?.[0] || '?'}"`);
}
