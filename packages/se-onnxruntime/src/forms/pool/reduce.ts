import { producerOf } from '../match.js';
import type { PoolForm } from './form.js';
import { emitReduce, layoutOfAxes, pooledShape, reduceAxes, SPATIAL_AXES } from './reduce-op.js';

const OPS = { mean: 'ReduceMean', max: 'ReduceMax' } as const;

/** ReduceMean / ReduceMax over the spatial axes of either layout (PyTorch's `x.mean((2, 3))`). */
export const reducePool: PoolForm = {
  prepare: (_sink, x) => x,
  emit: (sink, input, stat, layout, flat) => ({
    name: emitReduce(sink, OPS[stat], input, SPATIAL_AXES[layout], !flat, `squeeze_${stat}`),
    shape: pooledShape(layout, flat),
  }),
  match(index, tensor) {
    const node = producerOf(index, tensor, [OPS.mean, OPS.max]);
    const input = node?.input?.[0];
    const layout = node && layoutOfAxes(reduceAxes(index, node));
    if (!node || !input || !layout) return undefined;
    const stat = node.opType === OPS.mean ? 'mean' : 'max';
    return { value: { stat, layout }, input, nodes: [node] };
  },
};
