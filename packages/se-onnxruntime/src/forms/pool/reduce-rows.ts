import type { PoolForm } from './form.js';
import { emitRowsThenPlane, matchRowsThenPlane, pooledShape } from './reduce-op.js';

const OPS = { mean: 'ReduceMean', max: 'ReduceMax' } as const;

/**
 * The mean (max) of each row over W, then of the row means (maxima): a float32 kernel that
 * sums sequentially adds W + H terms in a row instead of H·W. For EPs without float64
 * (reduce-float64): onnxruntime-web's webgl EP. Measured there (SwiftShader): a 32-channel
 * 112×112 block gets 6.3 ULPs (PyTorch float32 2.5, so 9.1 allowed) where one ReduceMean gets
 * 17.2. Only ReduceMean and ReduceMax, which webgl has at every opset (its ReduceSum stops at
 * opset 12). A mean of row means overflows only where a row's sum does: where no row's float32
 * sum overflows but the plane's does (every value near 3.4e38 / H·W), the mean stays finite
 * while SPEC.md's overflow rule says ±Infinity.
 */
export const reduceRowsPool: PoolForm = {
  prepare: (_sink, x) => x,
  emit: (sink, input, stat, layout, flat) => ({
    name: emitRowsThenPlane(sink, OPS[stat], input, layout, flat, `squeeze_${stat}`),
    shape: pooledShape(layout, flat),
  }),
  match(index, tensor) {
    for (const stat of ['mean', 'max'] as const) {
      const found = matchRowsThenPlane(index, tensor, OPS[stat]);
      if (found)
        return { value: { stat, layout: found.layout }, input: found.input, nodes: found.nodes };
    }
    return undefined;
  },
};
