import { type Layout, SESpecError } from '@seblock/se-core';
import type { SEGraphOptions } from '../build/options.js';
import { getAttribute } from '../proto/attributes.js';
import { isDefaultDomain, type ModelProto } from '../proto/onnx.js';
import type { ExecutionProvider } from './types.js';

/** The op forms a session writes when the caller does not choose them. */
export type SessionForm = Pick<
  SEGraphOptions,
  'fullyConnected' | 'squeezeOp' | 'erf' | 'nanGuard' | 'opset'
>;

/** One execution provider's session forms: for both layouts, and for NCHW only. */
export interface ProviderForms {
  readonly both: SessionForm;
  readonly nchw?: SessionForm;
}

/**
 * What createSESession writes per execution provider (its first one), unless the caller
 * chooses: the ONE place the package picks forms per EP. Accuracy and correctness first
 * (SPEC.md's NaN semantics, and at least PyTorch's accuracy: 4 + 2 × PyTorch's float32 error
 * on every golden and accuracy case), then speed. Measured with onnxruntime-node and
 * onnxruntime-web 1.30 (the browser EPs in headless Chromium on Dawn's and SwiftShader's CPU
 * adapters); the numbers are in the README's "Choosing the op form".
 * - cpu, wasm: the mean in float64 (reduce-float64): every float32 pool of theirs fell short of
 *   PyTorch on some accuracy case (GlobalAveragePool by 10–250 %, ReduceMean likewise), at a
 *   cost of 1.2–2× the block's time on large planes. Gemm for NCHW (speed: wasm's 1×1 Conv was
 *   4× slower at 2048 channels).
 * - webgpu: ReduceMean/ReduceMax with the axes as an input (opset 18): that is onnxruntime-web's
 *   shared reduction kernel, accurate, and right after any other shape (see
 *   `webgpuReduceRefusal`); its GlobalMaxPool starts from -1e5 (a plane below -100000 gets
 *   -100000) and its GlobalAveragePool sums each plane sequentially. NaN guards everywhere:
 *   its Relu, Clip and Sigmoid return 0 for NaN.
 * - webgl: row-then-plane means (reduce-rows: no float64, and its GlobalMaxPool starts from
 *   -1e5 too), MatMul (its packed 1×1 Conv shaders do not compile), the polynomial erf (no Erf
 *   op), NaN guards (Relu, Clip, Sigmoid return 0 for NaN).
 */
export const SESSION_FORMS: Readonly<Record<string, ProviderForms>> = {
  cpu: { both: { squeezeOp: 'reduce-float64' }, nchw: { fullyConnected: 'gemm' } },
  wasm: { both: { squeezeOp: 'reduce-float64' }, nchw: { fullyConnected: 'gemm' } },
  webgpu: { both: { squeezeOp: 'reduce', opset: 18, nanGuard: 'all' } },
  webgl: {
    both: {
      squeezeOp: 'reduce-rows',
      fullyConnected: 'matmul',
      erf: 'polynomial',
      nanGuard: 'all',
    },
  },
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

/** Forms whose squeeze is written with ReduceMean/ReduceMax. */
const REDUCE_FORMS: readonly string[] = ['reduce', 'reduce-rows'];

/**
 * Why a webgpu session cannot write `requested`, or undefined.
 *
 * onnxruntime-web 1.30's webgpu EP (its JS kernels, "JSEP") has two ReduceMean/ReduceMax
 * kernels. With the axes as an attribute (opset ≤ 17) and N·C > 1024 over NCHW axes [2, 3]
 * (`useNaiveReduceMethod` in reduce.ts) it takes the "naive" one, whose shader has the reduced
 * dims and the divisor written into its source but whose cache key holds only the op name and
 * the input's rank: the first such shader in a page is right; every later naive ReduceMean in
 * the page, from any session or model, reuses it. Measured in Chromium 156 on Dawn's CPU adapter
 * with one-node graphs: after x = 8×256×7×7, ReduceMean of x = 8×256×14×14 is the mean of each
 * map's top-left 7×7 patch (all 2048 outputs wrong, |error| up to 0.26); an SE block is then
 * 10⁵–10⁶ ULPs off (test/browser/webgpu-reduce.test.ts). With the axes as an input (opset ≥ 18)
 * the check reads no axes and every reduction takes the shared kernel, which was right after
 * every shape change; so webgpu sessions write opset 18, and a Reduce squeeze at an explicit
 * opset below 18 is refused rather than computed wrong.
 */
function webgpuReduceRefusal(squeezeOp: string, opset: number): string | undefined {
  if (!REDUCE_FORMS.includes(squeezeOp) || opset >= 18) return undefined;
  return `onnxruntime-web's webgpu EP reuses a ReduceMean/ReduceMax shader compiled for an earlier input shape when the axes are an attribute (opset ${opset}): leave the opset at 18 or more (the axes become an input and take its shared kernel), or write "global-pool"`;
}

/**
 * The forms a session writes on these providers: the caller's choices, and for the rest the
 * provider's SESSION_FORMS. An explicit choice known to compute wrong numbers there is an
 * SESpecError rather than silently wrong values.
 */
export function sessionForm(
  executionProviders: readonly ExecutionProvider[],
  requested: SessionForm & { readonly layout?: Layout },
): SessionForm {
  const name = webgpuRunsFirst(executionProviders)
    ? 'webgpu'
    : (providerName(executionProviders[0]) ?? '');
  const table = SESSION_FORMS[name];
  const layout = requested.layout ?? 'NCHW';
  const defaults: SessionForm = { ...table?.both, ...(layout === 'NCHW' ? table?.nchw : {}) };
  if (name !== 'webgpu') return defaults;
  // webgpu: a Reduce squeeze needs opset ≥ 18; below it, the global pools (see the table's notes).
  const opset = requested.opset ?? defaults.opset ?? 18;
  const squeezeOp = requested.squeezeOp ?? (opset >= 18 ? defaults.squeezeOp : 'global-pool');
  const refusal = squeezeOp && webgpuReduceRefusal(squeezeOp, opset);
  if (refusal) throw new SESpecError('options.squeezeOp', refusal, requested.squeezeOp);
  return { ...defaults, squeezeOp, ...(requested.opset === undefined ? { opset } : {}) };
}

/** The options without keys set to undefined (so they do not hide a default when spread). */
function definedOnly<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The caller's options with the provider's forms (`sessionForm`) filled in where the caller
 * chose none: what createSESession and loadNetworkSession build with.
 */
export function withSessionForm<O extends SessionForm & { readonly layout?: Layout }>(
  executionProviders: readonly ExecutionProvider[],
  requested: O,
): O {
  return { ...sessionForm(executionProviders, requested), ...definedOnly(requested) };
}

/**
 * The ReduceMean/ReduceMax nodes of a model (graph and local functions) whose axes are an
 * attribute, by name: on webgpu they may take the shader-reusing kernel (`webgpuReduceRefusal`).
 * A model of the caller's own cannot be rewritten safely, and whether a node meets the defect
 * depends on shapes known only at run time, so createModelSession warns about them rather
 * than refusing the model.
 */
export function webgpuRiskyReduces(model: ModelProto): string[] {
  const nodes = [
    ...(model.graph?.node ?? []),
    ...(model.functions ?? []).flatMap((f) => f.node ?? []),
  ];
  return nodes
    .filter(
      (n) =>
        (n.opType === 'ReduceMean' || n.opType === 'ReduceMax') &&
        isDefaultDomain(n.domain) &&
        getAttribute(n, 'axes') !== undefined,
    )
    .map((n) => `${n.opType} "${n.name || n.output?.[0] || '?'}"`);
}
