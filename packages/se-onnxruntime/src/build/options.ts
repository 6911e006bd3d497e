import { LAYOUTS, type Layout, SESpecError } from '@seblock/se-core';
import { SEModelError } from '../errors.js';

/** How the two fully connected layers are written. */
export type FullyConnectedOp = 'conv' | 'gemm' | 'matmul';
/** How the squeeze is written: GlobalAveragePool/GlobalMaxPool (after a Transpose for NHWC), or ReduceMean/ReduceMax. */
export type SqueezeOp = 'global-pool' | 'reduce';

/** How exact GELU's erf is written: the Erf op, or an approximation from elementary ops. */
export type ErfForm = 'op' | 'polynomial';

export const FULLY_CONNECTED_OPS: readonly FullyConnectedOp[] = ['conv', 'gemm', 'matmul'];
export const ERF_FORMS: readonly ErfForm[] = ['op', 'polynomial'];
export const SQUEEZE_OPS: readonly SqueezeOp[] = ['global-pool', 'reduce'];

/**
 * Opsets the graph builder writes. 14 is the first with everything we use in its
 * current form (Unsqueeze/ReduceSum axes as inputs from 13, HardSwish from 14);
 * 18 moves ReduceMean/ReduceMax axes to an input; 20 adds Gelu. The upper bound
 * is the newest opset our tests load in onnxruntime 1.30.
 */
export const MIN_OPSET = 14;
export const MAX_OPSET = 22;
export const DEFAULT_OPSET = 17;

/** Options shared by every way of writing an SE block into a graph. */
export interface SEGraphOptions {
  /** Activation layout of x and y: 'NCHW' (ONNX's own, default) or 'NHWC'. */
  readonly layout?: Layout;
  /** Default-domain opset to write, 14–22 (default 17). Ignored by insertSE, which uses the model's. */
  readonly opset?: number;
  /**
   * 'conv' (1×1 Conv on [N, C, 1, 1], default for NCHW), 'gemm' (Gemm transB=1 on [N, C])
   * or 'matmul' (MatMul + Add, default for NHWC). Which is fastest depends on the execution provider.
   */
  readonly fullyConnected?: FullyConnectedOp;
  /**
   * 'global-pool' (GlobalAveragePool/GlobalMaxPool, default for NCHW; for NHWC x is first
   * transposed to NCHW, one copy of x) or 'reduce' (ReduceMean/ReduceMax over the spatial axes,
   * default for NHWC). createSESession writes 'global-pool' for onnxruntime-web's webgpu EP,
   * whose ReduceMean/ReduceMax can reuse a shader compiled for another input shape.
   */
  readonly squeezeOp?: SqueezeOp;
  /** Write the block as one `ai.seblock::SqueezeExcite` node calling a model-local function. */
  readonly asFunction?: boolean;
  /**
   * How exact GELU's erf is written: 'op' (Erf, or Gelu from opset 20; default) or
   * 'polynomial' (Abramowitz & Stegun 7.1.26 from Abs, Exp and arithmetic, |error| ≤ 1.5e-7,
   * the approximation TF.js uses for tf.erf) for runtimes without Erf, such as
   * onnxruntime-web's webgl EP. createSESession picks 'polynomial' for webgl.
   */
  readonly erf?: ErfForm;
}

/** Options after defaults and checks. */
export interface ResolvedGraphOptions {
  readonly layout: Layout;
  readonly opset: number;
  readonly fullyConnected: FullyConnectedOp;
  readonly squeezeOp: SqueezeOp;
  readonly asFunction: boolean;
  readonly erf: ErfForm;
}

/** Fills in defaults and rejects impossible combinations with typed errors. */
export function resolveGraphOptions(
  options: SEGraphOptions,
  opset: number,
  field = 'options',
): ResolvedGraphOptions {
  const layout = options.layout ?? 'NCHW';
  if (!LAYOUTS.includes(layout))
    throw new SESpecError(`${field}.layout`, '"NCHW" or "NHWC"', layout);
  checkOpset(opset, `${field}.opset`);
  const fullyConnected = options.fullyConnected ?? (layout === 'NCHW' ? 'conv' : 'matmul');
  if (!FULLY_CONNECTED_OPS.includes(fullyConnected)) {
    throw new SESpecError(
      `${field}.fullyConnected`,
      FULLY_CONNECTED_OPS.map((o) => `"${o}"`).join(' | '),
      fullyConnected,
    );
  }
  const squeezeOp = options.squeezeOp ?? (layout === 'NCHW' ? 'global-pool' : 'reduce');
  if (!SQUEEZE_OPS.includes(squeezeOp)) {
    throw new SESpecError(
      `${field}.squeezeOp`,
      SQUEEZE_OPS.map((o) => `"${o}"`).join(' | '),
      squeezeOp,
    );
  }
  const erf = options.erf ?? 'op';
  if (!ERF_FORMS.includes(erf)) {
    throw new SESpecError(`${field}.erf`, ERF_FORMS.map((o) => `"${o}"`).join(' | '), erf);
  }
  return { layout, opset, fullyConnected, squeezeOp, asFunction: options.asFunction ?? false, erf };
}

export function checkOpset(opset: number, field: string, node?: string): void {
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new SEModelError(
      field,
      `unsupported opset ${opset}: this package writes opsets ${MIN_OPSET} to ${MAX_OPSET}`,
      node,
    );
  }
}
