import { canonicalSpecJSON, type Layout, parseSESpec, type SESpec } from '@seblock/se-core';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';

/**
 * The name of the fused SE kernel in TF.js' kernel registry. Namespaced so it never collides
 * with a TF.js kernel (those are single CamelCase words such as `Softmax`).
 */
export const SE_KERNEL_NAME = 'SeblockSqueezeExcite';

/**
 * What follows the block's scale inside the kernel (SE-ResNet's residual unit): nothing
 * (`'none'`: y = x · e), or the addition of a `shortcut` input, then the identity or a ReLU:
 * y = act(x · e + shortcut), in the same pass over x (the official Caffe release's `Axpy`).
 */
export type SEKernelResidual = 'none' | 'identity' | 'relu';

/**
 * The kernel's attributes. Kernel attributes are plain numbers, strings and booleans, so the
 * spec travels as its canonical JSON (and the kernel's inputs are `x`, with `residual` a
 * `shortcut` like x, and the weights, by se-core weight key, in the kind's slot order).
 */
export interface SEKernelAttrs {
  /** `JSON.stringify(canonicalSpecJSON(spec))`. */
  readonly spec: string;
  readonly layout: Layout;
  /** True when the matrices are in TF.js' dense [in, out] layout (the kind's kernelKeys). */
  readonly kernelLayout: boolean;
  readonly residual: SEKernelResidual;
}

export function toKernelAttrs(
  spec: SESpec,
  layout: Layout,
  kernelLayout: boolean,
  residual: SEKernelResidual = 'none',
): SEKernelAttrs {
  return { spec: JSON.stringify(canonicalSpecJSON(spec)), layout, kernelLayout, residual };
}

export function fromKernelAttrs(attrs: NamedAttrMap | undefined): SEKernelAttrs {
  const a = attrs as unknown as SEKernelAttrs;
  // Attributes written before the residual existed mean the plain block.
  return a.residual === undefined ? { ...a, residual: 'none' } : a;
}

// A model calls the kernel with a handful of specs, over and over: parse each once.
const parsed = new Map<string, SESpec>();
const PARSED_LIMIT = 256;

/** The spec a kernel call computes. */
export function kernelSpec(attrs: SEKernelAttrs): SESpec {
  let spec = parsed.get(attrs.spec);
  if (!spec) {
    spec = parseSESpec(JSON.parse(attrs.spec), 'attrs.spec');
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    parsed.set(attrs.spec, spec);
  }
  return spec;
}
