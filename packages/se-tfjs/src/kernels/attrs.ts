import type { Activation, Layout, SESpec, SqueezeMode } from '@seblock/se-core';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';

/**
 * The name of the fused SE kernel in TF.js' kernel registry. Namespaced so it never collides
 * with a TF.js kernel (those are single CamelCase words such as `Softmax`).
 */
export const SE_KERNEL_NAME = 'SeblockSqueezeExcite';

/** The kernel's inputs, by name (TF.js passes kernels a map of named inputs). */
export const SE_KERNEL_INPUTS = ['x', 'fc1', 'fc2', 'fc1Bias', 'fc2Bias'] as const;

/**
 * The spec and the call's layout as kernel attributes. Kernel attributes are plain
 * numbers, strings and booleans, so the gate is flattened into three fields.
 */
export interface SEKernelAttrs {
  readonly squeeze: SqueezeMode;
  readonly activation: Activation;
  readonly gateType: SESpec['gate']['type'];
  readonly gateAlpha: number;
  readonly gateBeta: number;
  readonly bias: boolean;
  readonly gain: number;
  readonly layout: Layout;
  /** True when fc1 is [reducedChannels, C] and fc2 [C, reducedChannels] (canonical); false for TF.js' [in, out]. */
  readonly transposed: boolean;
}

export function toKernelAttrs(spec: SESpec, layout: Layout, transposed: boolean): SEKernelAttrs {
  const gate = spec.gate.type === 'hardsigmoid' ? spec.gate : { alpha: 0, beta: 0 };
  return {
    squeeze: spec.squeeze,
    activation: spec.activation,
    gateType: spec.gate.type,
    gateAlpha: gate.alpha,
    gateBeta: gate.beta,
    bias: spec.bias,
    gain: spec.gain,
    layout,
    transposed,
  };
}

/** The attributes back as the spec fields the kernels need (channel counts come from shapes). */
export function fromKernelAttrs(attrs: NamedAttrMap | undefined): SEKernelAttrs {
  return attrs as unknown as SEKernelAttrs;
}

/** The se-core spec a kernel call computes, rebuilt from its attributes and weight shapes. */
export function specFromAttrs(attrs: SEKernelAttrs, channels: number, reduced: number): SESpec {
  return {
    version: 1,
    channels,
    reducedChannels: reduced,
    squeeze: attrs.squeeze,
    activation: attrs.activation,
    gate:
      attrs.gateType === 'sigmoid'
        ? { type: 'sigmoid' }
        : { type: 'hardsigmoid', alpha: attrs.gateAlpha, beta: attrs.gateBeta },
    bias: attrs.bias,
    gain: attrs.gain,
  };
}
