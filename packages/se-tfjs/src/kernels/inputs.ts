import type { NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelWeights } from './fused-math.js';

/** The named inputs of the fused kernel; biases are present exactly when the spec has them. */
export interface SEKernelInputs {
  readonly x: TensorInfo;
  readonly fc1: TensorInfo;
  readonly fc2: TensorInfo;
  readonly fc1Bias?: TensorInfo;
  readonly fc2Bias?: TensorInfo;
}

export function kernelInputs(inputs: NamedTensorInfoMap): SEKernelInputs {
  return inputs as unknown as SEKernelInputs;
}

/** reducedChannels: canonical fc1 is [reducedChannels, C], TF.js' kernel layout [C, reducedChannels]. */
export function reducedChannelsOf(inputs: SEKernelInputs, transposed: boolean): number {
  return (transposed ? inputs.fc1.shape[0] : inputs.fc1.shape[1]) as number;
}

/** Reads the weights through `values` (a backend's view of a tensor's float32 data). */
export function kernelWeights(
  inputs: SEKernelInputs,
  transposed: boolean,
  values: (t: TensorInfo) => Float32Array,
): KernelWeights {
  const { fc1, fc2, fc1Bias, fc2Bias } = inputs;
  return {
    fc1: values(fc1),
    fc2: values(fc2),
    ...(fc1Bias ? { fc1Bias: values(fc1Bias) } : {}),
    ...(fc2Bias ? { fc2Bias: values(fc2Bias) } : {}),
    reduced: reducedChannelsOf(inputs, transposed),
  };
}
