import type { GraphIndex } from '../../proto/graph-index.js';
import type { NodeProto } from '../../proto/onnx.js';
import { type Matched, skipShapeOps } from '../match.js';
import type { PoolForm, PoolMatch } from './form.js';
import { globalPool } from './global-pool.js';
import { reducePool } from './reduce.js';
import { reduceFloat64Pool } from './reduce-float64.js';
import { reduceRowsPool } from './reduce-rows.js';

/**
 * How the squeeze's pools are written: GlobalAveragePool/GlobalMaxPool, ReduceMean/ReduceMax,
 * the mean summed in float64, or the means of rows then of the plane.
 */
export type SqueezeOp = 'global-pool' | 'reduce' | 'reduce-float64' | 'reduce-rows';

/**
 * The forms of the squeeze's spatial pools: the `squeezeOp` build option. A new form is one
 * module, its name above and one line here; buildSEModel, extractSE and the round-trip test
 * follow.
 */
export const POOL_FORMS = {
  'global-pool': globalPool,
  reduce: reducePool,
  'reduce-float64': reduceFloat64Pool,
  'reduce-rows': reduceRowsPool,
} as const satisfies Record<SqueezeOp, PoolForm>;

export const SQUEEZE_OPS = Object.keys(POOL_FORMS) as SqueezeOp[];

/**
 * The pool producing `tensor` (through shape-only ops), in any form, with the form's name.
 * Where forms overlap (reduce-rows ends in the ReduceMean of reduce), the match that covers
 * the most nodes is the form.
 */
export function matchPool(
  index: GraphIndex,
  tensor: string,
): Matched<PoolMatch & { readonly form: SqueezeOp }> | undefined {
  const through: NodeProto[] = [];
  const t = skipShapeOps(index, tensor, through);
  let best: Matched<PoolMatch & { readonly form: SqueezeOp }> | undefined;
  for (const form of SQUEEZE_OPS) {
    const found = POOL_FORMS[form].match(index, t);
    if (found && found.nodes.length + through.length > (best?.nodes.length ?? 0))
      best = { ...found, value: { ...found.value, form }, nodes: [...through, ...found.nodes] };
  }
  return best;
}
