import type { Layout, SqueezeMode } from '@seblock/se-core';
import { type GraphSink, op, scalar } from '../graph/sink.js';
import type { GraphIndex } from '../proto/graph-index.js';
import type { NodeProto } from '../proto/onnx.js';
import { bothOrders, type Matched, producerOf, scalarConstant, skipShapeOps } from './match.js';
import { emitNaNGuard, matchNaNGuard } from './nan-guard.js';
import type { PoolMatch, Statistic } from './pool/form.js';
import { matchPool, POOL_FORMS, type SqueezeOp } from './pool/registry.js';
import type { Vector } from './vector.js';

// The squeeze stage (SPEC.md, "Squeeze"): the descriptors of each squeeze mode from the
// spatial pools of a pool form, written and recognised here for every pool form alike.

/** The pools one block needs, written lazily, each once. */
interface Pools {
  mean(): Vector;
  max(): Vector;
}

/**
 * A max that is NaN wherever the channel holds a NaN, as PyTorch's amax is (SPEC.md, "NaN and
 * overflow"). Max pools skip NaN (onnxruntime-node 1.30: [1, NaN, 2, 3] gives 3 with
 * GlobalMaxPool, 2 with ReduceMax; webgpu and webgl give 3), so the max takes its NaN from the
 * channel's mean, which a NaN makes NaN (nan-guard.ts).
 */
function nanPropagatingMax(sink: GraphSink, max: Vector, mean: Vector): Vector {
  return { name: emitNaNGuard(sink, mean.name, max.name, 'squeeze_max_nan'), shape: max.shape };
}

const DESCRIPTORS = {
  avg: (_sink, pools) => [pools.mean()],
  max: (sink, pools) => [nanPropagatingMax(sink, pools.max(), pools.mean())],
  // timm add_maxpool: 0.5·avg + 0.5·max, written (avg + max) · 0.5 (halving is exact in float32).
  // A NaN in the channel makes the mean NaN, and the sum with it: the max needs no flag here.
  avgmax(sink, pools) {
    const mean = pools.mean();
    const sum = op(sink, 'Add', [mean.name, pools.max().name], 'squeeze_sum');
    return [
      {
        name: op(sink, 'Mul', [sum, scalar(sink, 'squeeze_half', 0.5)], 'squeeze'),
        shape: mean.shape,
      },
    ];
  },
  'avg+max': (sink, pools) => [pools.mean(), nanPropagatingMax(sink, pools.max(), pools.mean())],
} satisfies Record<SqueezeMode, (sink: GraphSink, pools: Pools) => Vector[]>;

/**
 * The descriptors of squeeze `mode` of x (one vector, or avg and max for `avg+max`), written
 * with the pool form `form`; `flat` asks for [N, C] vectors when the pool op gives them.
 */
export function emitDescriptors(
  sink: GraphSink,
  x: string,
  mode: SqueezeMode,
  form: SqueezeOp,
  layout: Layout,
  flat: boolean,
): Vector[] {
  const pool = POOL_FORMS[form];
  const input = pool.prepare(sink, x, layout);
  const written = new Map<Statistic, Vector>();
  const get = (stat: Statistic) => {
    const v = written.get(stat) ?? pool.emit(sink, input, stat, layout, flat);
    written.set(stat, v);
    return v;
  };
  return DESCRIPTORS[mode](sink, { mean: () => get('mean'), max: () => get('max') });
}

type PoolFound = Matched<PoolMatch & { readonly form: SqueezeOp }>;

/** One descriptor read back: a mean, a max, or avgmax's half sum of the two. */
interface DescriptorMatch {
  readonly is: Statistic | 'half-sum';
  readonly pools: readonly PoolFound[];
  readonly nodes: readonly NodeProto[];
}

/** A pool, or our NaN-propagating max: the max guarded by the mean. */
function matchStatistic(index: GraphIndex, tensor: string): DescriptorMatch | undefined {
  const pool = matchPool(index, tensor);
  if (pool) return { is: pool.value.stat, pools: [pool], nodes: [] };
  const through: NodeProto[] = [];
  const guard = matchNaNGuard(index, skipShapeOps(index, tensor, through));
  const maxPool = guard && matchPool(index, guard.value);
  const meanPool = guard && matchPool(index, guard.source);
  if (!guard || meanPool?.value.stat !== 'mean' || maxPool?.value.stat !== 'max') return undefined;
  return { is: 'max', pools: [maxPool, meanPool], nodes: [...through, ...guard.nodes] };
}

/** (avg + max) · 0.5, or avg · 0.5 + max · 0.5. */
function matchHalfSum(index: GraphIndex, tensor: string): DescriptorMatch | undefined {
  const through: NodeProto[] = [];
  const t = skipShapeOps(index, tensor, through);
  const half = (node: NodeProto | undefined) =>
    bothOrders(node).find(([, c]) => scalarConstant(index, c) === 0.5)?.[0];
  const pair = (a: string | undefined, b: string | undefined, nodes: NodeProto[]) => {
    const sides = [a, b].map((side) => (side ? matchStatistic(index, side) : undefined));
    const [first, second] = sides;
    if (!first || !second || first.is === second.is) return undefined;
    return {
      is: 'half-sum' as const,
      pools: [...first.pools, ...second.pools],
      nodes: [...through, ...nodes, ...first.nodes, ...second.nodes],
    };
  };
  const outer = producerOf(index, t, ['Mul']);
  const sum = producerOf(index, half(outer), ['Add']);
  if (outer && sum) return pair(sum.input?.[0], sum.input?.[1], [outer, sum]);
  const add = producerOf(index, t, ['Add']);
  const [a, b] = (add?.input ?? []).map((i) => producerOf(index, i, ['Mul']));
  return add && a && b ? pair(half(a), half(b), [add, a, b]) : undefined;
}

/** What the descriptors of a block were computed from. */
export interface SqueezeFound {
  readonly mode: SqueezeMode;
  /** The tensor every pool reads, its layout, and the NHWC tensor behind a Transpose, if any. */
  readonly input: string;
  readonly layout: Layout;
  readonly fromNHWC?: PoolMatch['fromNHWC'];
  readonly form: SqueezeOp;
  readonly nodes: readonly NodeProto[];
}

/** The squeeze mode of one descriptor, or of the two of `avg+max` (in either order). */
function modeOf(parts: readonly DescriptorMatch[]): SqueezeMode | undefined {
  const [a, b] = parts.map((p) => p.is);
  if (parts.length === 1) return a === 'mean' ? 'avg' : a === 'max' ? 'max' : 'avgmax';
  const pair = [a, b].sort().join(',');
  return parts.length === 2 && pair === 'max,mean' ? 'avg+max' : undefined;
}

/** The squeeze whose descriptors (one, or two for `avg+max`) produce `tensors`, read back. */
export function matchDescriptors(
  index: GraphIndex,
  tensors: readonly string[],
): SqueezeFound | undefined {
  const parts: DescriptorMatch[] = [];
  for (const t of tensors) {
    const found =
      matchStatistic(index, t) ?? (tensors.length === 1 ? matchHalfSum(index, t) : undefined);
    if (!found) return undefined;
    parts.push(found);
  }
  const mode = modeOf(parts);
  const pools = parts.flatMap((p) => p.pools);
  const [first] = pools;
  if (!mode || !first) return undefined;
  const from = first.value.fromNHWC?.input;
  if (
    !pools.every(
      (p) =>
        p.input === first.input &&
        p.value.layout === first.value.layout &&
        p.value.fromNHWC?.input === from,
    )
  )
    return undefined;
  // The mean tells the form apart (reduce-float64 writes its max as reduce does).
  const mean = pools.find((p) => p.value.stat === 'mean') ?? first;
  return {
    mode,
    input: first.input,
    layout: first.value.layout,
    ...(first.value.fromNHWC ? { fromNHWC: first.value.fromNHWC } : {}),
    form: mean.value.form,
    nodes: [...parts.flatMap((p) => p.nodes), ...pools.flatMap((p) => p.nodes)],
  };
}
