import { op } from '../../graph/sink.js';
import { floatAttribute, intAttribute } from '../../proto/attributes.js';
import { floatTensor, readFloatTensor, tensorDims } from '../../proto/tensors.js';
import { producerOf } from '../match.js';
import { biasValues, type DenseForm, transposedRead, weightName } from './form.js';

/** Gemm with transB = 1 on [N, C] (PyTorch's Linear export); read back with either transB. */
export const gemmDense: DenseForm = {
  shape: 'nc',
  emit(sink, input, layer) {
    const w = sink.weight(
      layer.weightTensor,
      floatTensor('', [layer.outputs, layer.inputs], layer.weight),
    );
    const b = layer.bias
      ? [sink.weight(layer.biasTensor, floatTensor('', [layer.outputs], layer.bias))]
      : [];
    return op(sink, 'Gemm', [input, w, ...b], layer.hint, { transB: 1 });
  },
  match(index, tensor) {
    const node = producerOf(index, tensor, ['Gemm']);
    const [input, w, b] = node?.input ?? [];
    const t = w ? index.constant(w) : undefined;
    if (!node || !input || !w || !t) return undefined;
    const dims = tensorDims(t);
    if (dims.length !== 2 || intAttribute(node, 'transA', 0) !== 0) return undefined;
    if (floatAttribute(node, 'alpha', 1) !== 1 || floatAttribute(node, 'beta', 1) !== 1)
      return undefined;
    const transB = intAttribute(node, 'transB', 0) === 1;
    const [outputs, inputs] = (transB ? dims : [dims[1], dims[0]]) as [number, number];
    const bias = biasValues(index, b, outputs);
    if (bias === null) return undefined;
    const raw = readFloatTensor(t, 'weight');
    const weight = transB ? raw : transposedRead(raw, inputs, outputs);
    return {
      value: { weight, bias, inputs, outputs, weightName: weightName(index, w) },
      input,
      nodes: [node],
    };
  },
};
