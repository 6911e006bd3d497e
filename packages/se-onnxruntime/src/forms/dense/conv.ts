import { op } from '../../graph/sink.js';
import { intAttribute, intsAttribute } from '../../proto/attributes.js';
import { floatTensor, readFloatTensor, tensorDims } from '../../proto/tensors.js';
import { producerOf } from '../match.js';
import { biasValues, type DenseForm, weightName } from './form.js';

/** A 1×1 Conv on [N, C, 1, 1] (PyTorch's Conv2d 1×1 export, and torchvision's SE). */
export const convDense: DenseForm = {
  shape: 'nc11',
  emit(sink, input, layer) {
    const w = sink.weight(
      layer.weightTensor,
      floatTensor('', [layer.outputs, layer.inputs, 1, 1], layer.weight),
    );
    const b = layer.bias
      ? [sink.weight(layer.biasTensor, floatTensor('', [layer.outputs], layer.bias))]
      : [];
    return op(sink, 'Conv', [input, w, ...b], layer.hint, { kernel_shape: [1, 1] });
  },
  match(index, tensor) {
    const node = producerOf(index, tensor, ['Conv']);
    const [input, w, b] = node?.input ?? [];
    const t = w ? index.constant(w) : undefined;
    if (!node || !input || !w || !t) return undefined;
    const dims = tensorDims(t);
    const kernel = intsAttribute(node, 'kernel_shape') ?? dims.slice(2);
    const unitStrides = (intsAttribute(node, 'strides') ?? []).every((s) => s === 1);
    if (
      dims.length !== 4 ||
      dims[2] !== 1 ||
      dims[3] !== 1 ||
      kernel.some((k) => k !== 1) ||
      !unitStrides ||
      intAttribute(node, 'group', 1) !== 1
    )
      return undefined;
    const [outputs, inputs] = dims as [number, number];
    const bias = biasValues(index, b, outputs);
    if (bias === null) return undefined;
    const weight = readFloatTensor(t, 'weight');
    return {
      value: { weight, bias, inputs, outputs, weightName: weightName(index, w) },
      input,
      nodes: [node],
    };
  },
};
