import { op } from '../../graph/sink.js';
import type { NodeProto } from '../../proto/onnx.js';
import { floatTensor, readFloatTensor, tensorDims } from '../../proto/tensors.js';
import { bothOrders, producerOf } from '../match.js';
import { biasValues, type DenseForm, transposed, transposedRead, weightName } from './form.js';

/** MatMul with W [in, out] on [N, C], then Add of the bias (Keras / tf2onnx's Dense). */
export const matmulDense: DenseForm = {
  shape: 'nc',
  emit(sink, input, layer) {
    const { inputs, outputs, hint } = layer;
    const w = sink.weight(
      layer.weightTensor,
      floatTensor('', [inputs, outputs], transposed(layer.weight, outputs, inputs, Float32Array)),
    );
    const product = op(sink, 'MatMul', [input, w], layer.bias ? `${hint}_matmul` : hint);
    if (!layer.bias) return product;
    const b = sink.weight(layer.biasTensor, floatTensor('', [outputs], layer.bias));
    return op(sink, 'Add', [product, b], hint);
  },
  match(index, tensor) {
    // MatMul(s, W[in, out]) or Add(MatMul(...), bias).
    let matmul = producerOf(index, tensor, ['MatMul']);
    let add: NodeProto | undefined;
    let biasName: string | undefined;
    const sum = producerOf(index, tensor, ['Add']);
    for (const [m, other] of bothOrders(sum)) {
      const candidate = producerOf(index, m, ['MatMul']);
      if (candidate && index.constant(other)) {
        [matmul, add, biasName] = [candidate, sum, other];
        break;
      }
    }
    const [input, w] = matmul?.input ?? [];
    const t = w ? index.constant(w) : undefined;
    const dims = t ? tensorDims(t) : [];
    if (!matmul || !input || !w || !t || dims.length !== 2) return undefined;
    const [inputs, outputs] = dims as [number, number];
    const bias = biasValues(index, biasName, outputs);
    if (bias === null) return undefined;
    const weight = transposedRead(readFloatTensor(t, 'weight'), inputs, outputs);
    return {
      value: { weight, bias, inputs, outputs, weightName: weightName(index, w) },
      input,
      nodes: add ? [add, matmul] : [matmul],
    };
  },
};
