import type { Layout } from '@seblock/se-core';
import { type GraphSink, int64s, op } from '../../graph/sink.js';
import { intsAttribute } from '../../proto/attributes.js';
import type { GraphIndex } from '../../proto/graph-index.js';
import { type NodeProto, TensorDataType } from '../../proto/onnx.js';
import { readIntTensor } from '../../proto/tensors.js';
import { producerOf } from '../match.js';

/** The spatial axes of a rank-4 activation: H and W. */
export const SPATIAL_AXES: Readonly<Record<Layout, readonly [number, number]>> = {
  NCHW: [2, 3],
  NHWC: [1, 2],
};

/**
 * A Reduce node over `axes`. ReduceSum takes its axes as an input from opset 13, ReduceMean,
 * ReduceMax and ReduceProd from opset 18; before that they are an attribute.
 */
export function emitReduce(
  sink: GraphSink,
  opType: 'ReduceMean' | 'ReduceMax' | 'ReduceSum' | 'ReduceProd',
  input: string,
  axes: readonly number[],
  keepdims: boolean,
  hint: string,
): string {
  const attrs = { keepdims: keepdims ? 1 : 0 };
  return opType === 'ReduceSum' || sink.opset >= 18
    ? op(sink, opType, [input, int64s(sink, `${hint}_axes`, axes)], hint, attrs)
    : op(sink, opType, [input], hint, { ...attrs, axes: [...axes] });
}

/** Axes of a rank-4 tensor as non-negative numbers in order. */
const normalised = (axes: readonly number[]) => axes.map((a) => (a < 0 ? a + 4 : a)).sort();

/** The int64 constant `tensor` as rank-4 axes (normalised), if it is one. */
export function constantAxes(index: GraphIndex, tensor: string | undefined): number[] | undefined {
  const t = tensor ? index.constant(tensor) : undefined;
  return t ? normalised(readIntTensor(t, 'axes')) : undefined;
}

/** The axes of a Reduce node (attribute or constant input), normalised. */
export function reduceAxes(index: GraphIndex, node: NodeProto): number[] | undefined {
  const attr = intsAttribute(node, 'axes');
  return attr ? normalised(attr) : constantAxes(index, node.input?.[1]);
}

/** The layout whose spatial axes are exactly `axes`, if any. */
export function layoutOfAxes(axes: readonly number[] | undefined): Layout | undefined {
  const key = axes?.join(',');
  return (Object.keys(SPATIAL_AXES) as Layout[]).find((l) => SPATIAL_AXES[l].join(',') === key);
}

/** The vector shape a spatial reduction of a rank-4 `layout` tensor gives. */
export function pooledShape(layout: Layout, flat: boolean) {
  return flat ? ('nc' as const) : layout === 'NCHW' ? ('nc11' as const) : ('n11c' as const);
}

/** H·W as a float scalar (float32, or float64 with `to`), from x's shape (dynamic dims included). */
export function emitCount(
  sink: GraphSink,
  x: string,
  layout: Layout,
  to: number = TensorDataType.FLOAT,
): string {
  const shape = op(sink, 'Shape', [x], 'squeeze_shape');
  const dims = op(
    sink,
    'Gather',
    [shape, int64s(sink, 'squeeze_hw_axes', SPATIAL_AXES[layout])],
    'squeeze_hw',
  );
  const count = emitReduce(sink, 'ReduceProd', dims, [0], false, 'squeeze_count_int');
  return op(sink, 'Cast', [count], 'squeeze_count', { to });
}

/** The nodes of our H·W count of `x` in `layout` producing `tensor`, or undefined. */
export function matchCount(
  index: GraphIndex,
  tensor: string | undefined,
  x: string,
  layout: Layout,
): NodeProto[] | undefined {
  const cast = producerOf(index, tensor, ['Cast']);
  const prod = producerOf(index, cast?.input?.[0], ['ReduceProd']);
  const gather = producerOf(index, prod?.input?.[0], ['Gather']);
  const shape = producerOf(index, gather?.input?.[0], ['Shape']);
  const axes = constantAxes(index, gather?.input?.[1]);
  return cast && prod && gather && shape?.input?.[0] === x && layoutOfAxes(axes) === layout
    ? [cast, prod, gather, shape]
    : undefined;
}

type RowOp = 'ReduceMean' | 'ReduceMax';

/** `opType` over W (each row), then over H and W of the rows: W + H terms in a row, not H·W. */
export function emitRowsThenPlane(
  sink: GraphSink,
  opType: RowOp,
  input: string,
  layout: Layout,
  flat: boolean,
  hint: string,
): string {
  const [, w] = SPATIAL_AXES[layout];
  const rows = emitReduce(sink, opType, input, [w], true, `${hint}_rows`);
  return emitReduce(sink, opType, rows, SPATIAL_AXES[layout], !flat, hint);
}

/** {@link emitRowsThenPlane} producing `tensor`: its input, layout and nodes. */
export function matchRowsThenPlane(
  index: GraphIndex,
  tensor: string | undefined,
  opType: RowOp,
): { input: string; layout: Layout; nodes: NodeProto[] } | undefined {
  const plane = producerOf(index, tensor, [opType]);
  const layout = plane && layoutOfAxes(reduceAxes(index, plane));
  const rows = producerOf(index, plane?.input?.[0], [opType]);
  const input = rows?.input?.[0];
  if (!plane || !layout || !rows || !input) return undefined;
  const [, w] = SPATIAL_AXES[layout];
  return reduceAxes(index, rows)?.join(',') === String(w)
    ? { input, layout, nodes: [plane, rows] }
    : undefined;
}
