import { LAYOUTS, type Layout, SESpecError } from '@seblock/se-core';
import { SEModelError } from '../errors.js';
import type { ErfForm } from '../forms/activation/form.js';
import type { FormChoice } from '../forms/block.js';
import type { FullyConnectedOp } from '../forms/dense/registry.js';
import type { NaNGuard } from '../forms/nan-guard.js';
import { FORM_OPTION_VALUES } from '../forms/options.js';
import type { SqueezeOp } from '../forms/pool/registry.js';

export type { ErfForm, FullyConnectedOp, NaNGuard, SqueezeOp };

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
   * How dense layers (kinds mlp, cbam, ese) are written: 'conv' (1×1 Conv on [N, C, 1, 1],
   * default for NCHW), 'gemm' (Gemm transB=1 on [N, C]) or 'matmul' (MatMul + Add, default for
   * NHWC). Which is fastest depends on the execution provider.
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
  /**
   * NaN guards (SPEC.md, "NaN and overflow": a NaN in a channel makes its descriptors NaN, and
   * NaN propagates from there as in PyTorch): 'max' (default) guards the max descriptor, which
   * every max pool we ran computes while skipping NaN; 'all' also guards the activation and
   * the gate, whose webgpu and webgl kernels return 0 for NaN. Four elementwise ops on a
   * per-channel vector each. createSESession picks 'all' for webgpu and webgl.
   */
  readonly nanGuard?: NaNGuard;
}

/** Options after defaults and checks. */
export interface ResolvedGraphOptions extends FormChoice {
  readonly opset: number;
  readonly asFunction: boolean;
}

/** `value`, or `fallback` when undefined; an SESpecError listing `allowed` otherwise. */
function oneOf<T extends string>(
  value: T | undefined,
  fallback: T,
  allowed: readonly T[],
  field: string,
): T {
  const chosen = value ?? fallback;
  if (!allowed.includes(chosen))
    throw new SESpecError(field, allowed.map((o) => `"${o}"`).join(' | '), chosen);
  return chosen;
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
  const fullyConnected = oneOf(
    options.fullyConnected,
    layout === 'NCHW' ? 'conv' : 'matmul',
    FORM_OPTION_VALUES.fullyConnected,
    `${field}.fullyConnected`,
  );
  const squeezeOp = oneOf(
    options.squeezeOp,
    layout === 'NCHW' ? 'global-pool' : 'reduce',
    FORM_OPTION_VALUES.squeezeOp,
    `${field}.squeezeOp`,
  );
  const erf = oneOf(options.erf, 'op', FORM_OPTION_VALUES.erf, `${field}.erf`);
  const nanGuard = oneOf(options.nanGuard, 'max', FORM_OPTION_VALUES.nanGuard, `${field}.nanGuard`);
  return {
    layout,
    opset,
    fullyConnected,
    squeezeOp,
    asFunction: options.asFunction ?? false,
    erf,
    nanGuard,
  };
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
