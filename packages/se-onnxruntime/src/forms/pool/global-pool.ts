import { op } from '../../graph/sink.js';
import { intsAttribute } from '../../proto/attributes.js';
import { producerOf } from '../match.js';
import type { PoolForm } from './form.js';

const OPS = { mean: 'GlobalAveragePool', max: 'GlobalMaxPool' } as const;

/**
 * GlobalAveragePool / GlobalMaxPool. They reduce every axis after the second, so NHWC x goes
 * to NCHW first: one copy of x (which onnxruntime-web's webgpu ReduceMean makes internally
 * too), shared by both pools of avgmax and avg+max.
 */
export const globalPool: PoolForm = {
  prepare: (sink, x, layout) =>
    layout === 'NCHW'
      ? x
      : op(sink, 'Transpose', [x], 'squeeze_input_nchw', { perm: [0, 3, 1, 2] }),
  emit: (sink, input, stat) => ({
    name: op(sink, OPS[stat], [input], `squeeze_${stat}`),
    shape: 'nc11',
  }),
  match(index, tensor) {
    const node = producerOf(index, tensor, [OPS.mean, OPS.max]);
    const input = node?.input?.[0];
    if (!node || !input) return undefined;
    const stat = node.opType === OPS.mean ? 'mean' : 'max';
    const transpose = producerOf(index, input, ['Transpose']);
    const fromNHWC =
      transpose?.input?.[0] && intsAttribute(transpose, 'perm')?.join(',') === '0,3,1,2'
        ? { input: transpose.input[0], transpose }
        : undefined;
    return {
      value: { stat, layout: 'NCHW', ...(fromNHWC ? { fromNHWC } : {}) },
      input,
      nodes: [node],
    };
  },
};
