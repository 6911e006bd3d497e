import type { Layout } from '@seblock/se-core';
import { type GraphSink, int64s, op } from '../graph/sink.js';

/**
 * The shape of a per-channel vector (a descriptor, logits, the channel weights) between the
 * stages of a block: `nc` [N, C], `nc11` [N, C, 1, 1], `n11c` [N, 1, 1, C]. Each stage's form
 * says what it reads and writes; {@link reshapeVector} converts in between.
 */
export type VectorShape = 'nc' | 'nc11' | 'n11c';

export interface Vector {
  readonly name: string;
  readonly shape: VectorShape;
}

/** The vector shape that broadcasts against x of a layout (the scale's operand). */
export const BROADCAST_SHAPE: Readonly<Record<Layout, VectorShape>> = {
  NCHW: 'nc11',
  NHWC: 'n11c',
};

const UNSQUEEZE_AXES: Readonly<Record<Exclude<VectorShape, 'nc'>, number[]>> = {
  nc11: [2, 3],
  n11c: [1, 2],
};
const PERM: Readonly<Record<Exclude<VectorShape, 'nc'>, number[]>> = {
  nc11: [0, 3, 1, 2], // from n11c
  n11c: [0, 2, 3, 1], // from nc11
};

/** `v` in shape `want` (Flatten, Unsqueeze or Transpose, nothing when it has it already). */
export function reshapeVector(sink: GraphSink, v: Vector, want: VectorShape, hint: string): Vector {
  if (v.shape === want) return v;
  if (want === 'nc') return { name: op(sink, 'Flatten', [v.name], hint, { axis: 1 }), shape: want };
  if (v.shape === 'nc') {
    const axes = int64s(sink, `${hint}_axes`, UNSQUEEZE_AXES[want]);
    return { name: op(sink, 'Unsqueeze', [v.name, axes], hint), shape: want };
  }
  return { name: op(sink, 'Transpose', [v.name], hint, { perm: PERM[want] }), shape: want };
}
