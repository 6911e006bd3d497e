import { op } from '../../graph/sink.js';
import { intAttribute } from '../../proto/attributes.js';
import { TensorDataType } from '../../proto/onnx.js';
import { producerOf } from '../match.js';
import type { PoolForm } from './form.js';
import { reducePool } from './reduce.js';
import {
  emitCount,
  emitReduce,
  layoutOfAxes,
  matchCount,
  pooledShape,
  reduceAxes,
  SPATIAL_AXES,
} from './reduce-op.js';

/**
 * The mean in float64, rounded once: Cast x to double, ReduceSum over H and W, divide by H·W,
 * Cast to float32. PyTorch's float32 mean sums in a cascade and comes out within about an ULP;
 * onnxruntime's float32 pools do not, and SE blocks amplify the mean's error (measured: on a
 * 32-channel 112×112 block whose PyTorch float32 error is 2.1 ULPs, onnxruntime-node's
 * GlobalAveragePool gives 9.0 and the wasm EP's ReduceMean 9.5, more than the 8.2 allowed;
 * on a 64-channel 56×56 effective SE, 282 against 51 allowed). SPEC.md's overflow rule is kept
 * exactly: where the sum rounds to ±Infinity in float32, the mean is that sum:
 * Where(IsInf(float32(sum)), float32(sum), float32(sum / (H·W))). The max is ReduceMax.
 * Needs float64 kernels: onnxruntime's CPU EP (Node, and wasm in onnxruntime-web), not webgpu.
 */
export const reduceFloat64Pool: PoolForm = {
  prepare: (_sink, x) => x,
  emit(sink, input, stat, layout, flat) {
    if (stat === 'max') return reducePool.emit(sink, input, stat, layout, flat);
    const x64 = op(sink, 'Cast', [input], 'squeeze_x64', { to: TensorDataType.DOUBLE });
    const sum64 = emitReduce(sink, 'ReduceSum', x64, SPATIAL_AXES[layout], !flat, 'squeeze_sum64');
    const count = emitCount(sink, input, layout, TensorDataType.DOUBLE);
    const mean64 = op(sink, 'Div', [sum64, count], 'squeeze_mean64');
    const mean = op(sink, 'Cast', [mean64], 'squeeze_mean_float', { to: TensorDataType.FLOAT });
    const sum = op(sink, 'Cast', [sum64], 'squeeze_sum', { to: TensorDataType.FLOAT });
    const overflow = op(sink, 'IsInf', [sum], 'squeeze_sum_overflow');
    return {
      name: op(sink, 'Where', [overflow, sum, mean], 'squeeze_mean'),
      shape: pooledShape(layout, flat),
    };
  },
  match(index, tensor) {
    const where = producerOf(index, tensor, ['Where']);
    const [condition, sumName, meanName] = where?.input ?? [];
    const overflow = producerOf(index, condition, ['IsInf']);
    const sum = producerOf(index, sumName, ['Cast']);
    const mean = producerOf(index, meanName, ['Cast']);
    const div = producerOf(index, mean?.input?.[0], ['Div']);
    const sum64 = producerOf(index, sum?.input?.[0], ['ReduceSum']);
    const x64 = producerOf(index, sum64?.input?.[0], ['Cast']);
    const input = x64?.input?.[0];
    const layout = sum64 && layoutOfAxes(reduceAxes(index, sum64));
    const count = input && layout && matchCount(index, div?.input?.[1], input, layout);
    const toFloat = [sum, mean].every(
      (n) => n && intAttribute(n, 'to', 0) === TensorDataType.FLOAT,
    );
    if (
      !where ||
      !overflow ||
      overflow.input?.[0] !== sumName ||
      !sum ||
      !mean ||
      !div ||
      div.input?.[0] !== sum?.input?.[0] ||
      !sum64 ||
      !x64 ||
      !input ||
      !layout ||
      !count ||
      !toFloat ||
      intAttribute(x64, 'to', 0) !== TensorDataType.DOUBLE
    )
      return undefined;
    return {
      value: { stat: 'mean', layout },
      input,
      nodes: [where, overflow, sum, mean, div, sum64, x64, ...count],
    };
  },
};
