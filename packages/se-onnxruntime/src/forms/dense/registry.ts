import type { GraphIndex } from '../../proto/graph-index.js';
import type { Matched } from '../match.js';
import { convDense } from './conv.js';
import type { DenseForm, DenseMatch } from './form.js';
import { gemmDense } from './gemm.js';
import { matmulDense } from './matmul.js';

/** How the dense layers are written: 1×1 Conv, Gemm (transB = 1) or MatMul + Add. */
export type FullyConnectedOp = 'conv' | 'gemm' | 'matmul';

/**
 * The forms of a dense (fully connected) layer: the `fullyConnected` build option. A new form
 * is one module, its name above and one line here; buildSEModel, extractSE and the round-trip
 * test follow.
 */
export const DENSE_FORMS = {
  conv: convDense,
  gemm: gemmDense,
  matmul: matmulDense,
} as const satisfies Record<FullyConnectedOp, DenseForm>;

export const FULLY_CONNECTED_OPS = Object.keys(DENSE_FORMS) as FullyConnectedOp[];

/** The dense layer producing `tensor`, in any form, with the form's name. */
export function matchDense(
  index: GraphIndex,
  tensor: string,
): Matched<DenseMatch & { readonly form: FullyConnectedOp }> | undefined {
  for (const form of FULLY_CONNECTED_OPS) {
    const found = DENSE_FORMS[form].match(index, tensor);
    if (found) return { ...found, value: { ...found.value, form } };
  }
  return undefined;
}
