import { type SESpec, weightSlots } from '@seblock/se-core';
import type { NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { tfjsKind } from '../excitation/registry.js';
import { transpose2d } from '../math/transpose.js';
import { SE_KERNEL_NAME, type SEKernelAttrs } from './attrs.js';

/**
 * The kernel's named inputs: `x`, the `shortcut` of a residual kernel (shaped like x), and
 * each present weight by se-core weight key.
 */
export interface SEKernelInputs {
  readonly x: TensorInfo;
  readonly shortcut: TensorInfo | undefined;
  readonly weights: Readonly<Record<string, TensorInfo>>;
}

/** The named inputs; a shortcut exactly when the attributes ask for a residual. */
export function kernelInputs(inputs: NamedTensorInfoMap, attrs: SEKernelAttrs): SEKernelInputs {
  const { x, shortcut, ...weights } = inputs;
  if ((attrs.residual === 'none') !== (shortcut === undefined)) {
    throw new Error(
      `${SE_KERNEL_NAME}: residual '${attrs.residual}' ${shortcut ? 'with' : 'without'} a shortcut input`,
    );
  }
  return { x: x as TensorInfo, shortcut, weights: weights as Record<string, TensorInfo> };
}

/**
 * The weights as se-core's kind functions read them (canonical layout, row-major), through
 * `values` (a backend's view of a tensor's float32 data). A matrix in TF.js' kernel layout is
 * transposed into a new array.
 */
export function canonicalWeights(
  spec: SESpec,
  inputs: SEKernelInputs,
  kernelLayout: boolean,
  values: (t: TensorInfo) => Float32Array,
): Record<string, Float32Array> {
  const kind = tfjsKind(spec.excitation.kind);
  const out: Record<string, Float32Array> = {};
  for (const slot of weightSlots(spec)) {
    const t = inputs.weights[slot.key];
    if (!slot.present || !t) continue;
    const data = values(t);
    const [rows, cols] = slot.shape as [number, number];
    out[slot.key] =
      kernelLayout && slot.key in kind.kernelKeys ? transpose2d(data, cols, rows) : data;
  }
  return out;
}
