import type { WeightSlot } from './kind.js';

// Builders for the weight slots kinds share: a matrix `in → out` (read also as
// a 1×1 convolution's [out, in, 1, 1]) and an optional bias vector.

/** A matrix [out, in], accepted on read as [out, in, 1, 1] (PyTorch Conv2d 1×1). */
export function matrixSlot(
  key: string,
  tensor: string,
  [out, inChannels]: readonly [number, number],
  dims: string,
): WeightSlot {
  return {
    key,
    tensor,
    shape: [out, inChannels],
    readShapes: [
      [out, inChannels],
      [out, inChannels, 1, 1],
    ],
    dims,
    present: true,
  };
}

/** A bias of `length`, present exactly when the excitation has `bias: true`. */
export function biasSlot(
  key: string,
  tensor: string,
  length: number,
  dims: string,
  bias: boolean,
): WeightSlot {
  return {
    key,
    tensor,
    shape: [length],
    readShapes: [[length]],
    dims,
    present: bias,
    ...(bias ? {} : { absentBecause: 'spec.excitation.bias is false' }),
  };
}
