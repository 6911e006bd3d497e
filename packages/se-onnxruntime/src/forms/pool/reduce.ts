import type { Layout } from '@seblock/se-core';
import { int64s, op } from '../../graph/sink.js';
import { intsAttribute } from '../../proto/attributes.js';
import type { GraphIndex } from '../../proto/graph-index.js';
import type { NodeProto } from '../../proto/onnx.js';
import { readIntTensor } from '../../proto/tensors.js';
import { producerOf } from '../match.js';
import type { PoolForm } from './form.js';

const OPS = { mean: 'ReduceMean', max: 'ReduceMax' } as const;
const SPATIAL_AXES: Readonly<Record<Layout, number[]>> = { NCHW: [2, 3], NHWC: [1, 2] };

/** Axes of a Reduce node: attribute (opset < 18) or input (opset >= 18). */
function reduceAxes(index: GraphIndex, node: NodeProto): number[] | undefined {
  const attr = intsAttribute(node, 'axes');
  if (attr) return attr;
  const t = node.input?.[1] ? index.constant(node.input[1]) : undefined;
  return t ? readIntTensor(t, 'axes') : undefined;
}

/** ReduceMean / ReduceMax over the spatial axes of either layout (PyTorch's `x.mean((2, 3))`). */
export const reducePool: PoolForm = {
  prepare: (_sink, x) => x,
  emit(sink, input, stat, layout, flat) {
    const axes = SPATIAL_AXES[layout];
    const keepdims = flat ? 0 : 1;
    const hint = `squeeze_${stat}`;
    // Opset 18 moved the axes of ReduceMean/ReduceMax from an attribute to an input.
    const name =
      sink.opset >= 18
        ? op(sink, OPS[stat], [input, int64s(sink, `${hint}_axes`, axes)], hint, { keepdims })
        : op(sink, OPS[stat], [input], hint, { axes, keepdims });
    return { name, shape: flat ? 'nc' : layout === 'NCHW' ? 'nc11' : 'n11c' };
  },
  match(index, tensor) {
    const node = producerOf(index, tensor, [OPS.mean, OPS.max]);
    const input = node?.input?.[0];
    const axes = node && reduceAxes(index, node);
    if (!node || !input || !axes) return undefined;
    const key = axes
      .map((a) => (a < 0 ? a + 4 : a))
      .sort()
      .join(',');
    const layout = (Object.keys(SPATIAL_AXES) as Layout[]).find(
      (l) => SPATIAL_AXES[l].join(',') === key,
    );
    const stat = node.opType === OPS.mean ? 'mean' : 'max';
    return layout ? { value: { stat, layout }, input, nodes: [node] } : undefined;
  },
};
