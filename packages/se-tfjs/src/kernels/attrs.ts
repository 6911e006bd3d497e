import { canonicalSpecJSON, type Layout, parseSESpec, type SESpec } from '@seblock/se-core';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';

/**
 * The name of the fused SE kernel in TF.js' kernel registry. Namespaced so it never collides
 * with a TF.js kernel (those are single CamelCase words such as `Softmax`).
 */
export const SE_KERNEL_NAME = 'SeblockSqueezeExcite';

/**
 * The kernel's attributes. Kernel attributes are plain numbers, strings and booleans, so the
 * spec travels as its canonical JSON (and the kernel's inputs are `x` and the weights, by
 * se-core weight key, in the kind's slot order).
 */
export interface SEKernelAttrs {
  /** `JSON.stringify(canonicalSpecJSON(spec))`. */
  readonly spec: string;
  readonly layout: Layout;
  /** True when the matrices are in TF.js' dense [in, out] layout (the kind's kernelKeys). */
  readonly kernelLayout: boolean;
}

export function toKernelAttrs(spec: SESpec, layout: Layout, kernelLayout: boolean): SEKernelAttrs {
  return { spec: JSON.stringify(canonicalSpecJSON(spec)), layout, kernelLayout };
}

export function fromKernelAttrs(attrs: NamedAttrMap | undefined): SEKernelAttrs {
  return attrs as unknown as SEKernelAttrs;
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
