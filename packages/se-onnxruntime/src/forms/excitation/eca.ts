import { int64s, op } from '../../graph/sink.js';
import {
  getAttribute,
  intAttribute,
  intsAttribute,
  stringAttribute,
} from '../../proto/attributes.js';
import type { GraphIndex } from '../../proto/graph-index.js';
import type { NodeProto } from '../../proto/onnx.js';
import { floatTensor, readFloatTensor, readIntTensor, tensorDims } from '../../proto/tensors.js';
import { biasValues, weightName } from '../dense/form.js';
import { producerOf, skipShapeOps } from '../match.js';
import { type ExcitationForm, tensorName } from './form.js';

// Kind eca (SPEC.md, "eca"): logits[c] = Σ_j w[j] · d[c + j − (k−1)/2], zero outside [0, C).
// Written as a Conv with one input and one output channel over the channels laid along H:
// [N, C] → [N, 1, C, 1], kernel [k, 1], pads (k−1)/2 above and below. A 2-D Conv because
// onnxruntime-web's webgl EP runs 2-D convolutions only; the other EPs take it as well.

/** Whether `tensor` puts the channels off axis 1: an Unsqueeze of axis 1, or a Reshape to [·, 1, …]. */
function channelsMovedOffAxis1(index: GraphIndex, tensor: string): boolean {
  const node = producerOf(index, tensor, ['Unsqueeze', 'Reshape']);
  if (!node) return false;
  const second = node.input?.[1];
  const values =
    node.opType === 'Unsqueeze'
      ? (intsAttribute(node, 'axes') ?? (second ? constantInts(index, second) : undefined))
      : second
        ? constantInts(index, second)
        : undefined;
  if (!values) return node.opType === 'Reshape'; // a shape computed at run time: timm's view(B, 1, -1)
  return node.opType === 'Unsqueeze' ? values.includes(1) : values[1] === 1;
}

function constantInts(index: GraphIndex, tensor: string): number[] | undefined {
  const t = index.constant(tensor);
  if (!t) return undefined;
  try {
    return readIntTensor(t, 'constant');
  } catch {
    return undefined;
  }
}

/**
 * The taps of a Conv that is an ECA convolution: one input and output channel, a kernel of k
 * taps along one axis ([1, 1, k], [1, 1, k, 1] or [1, 1, 1, k]: PyTorch's Conv1d export, ours,
 * and its transpose), stride and dilation 1, zero padding (k−1)/2 on both sides of that axis,
 * no bias (or an all-zero one).
 */
function ecaConv(index: GraphIndex, conv: NodeProto): { k: number; weight: string } | undefined {
  const [, w, b] = conv.input ?? [];
  const t = w ? index.constant(w) : undefined;
  if (!w || !t) return undefined;
  const dims = tensorDims(t);
  const spatial = dims.slice(2);
  const k = Math.max(...spatial);
  if (
    dims[0] !== 1 ||
    dims[1] !== 1 ||
    spatial.length < 1 ||
    spatial.length > 2 ||
    spatial.reduce((a, v) => a * v, 1) !== k ||
    k % 2 !== 1
  )
    return undefined;
  const ones = (name: string) => (intsAttribute(conv, name) ?? []).every((v) => v === 1);
  const pads = intsAttribute(conv, 'pads') ?? spatial.flatMap(() => [0, 0]);
  const half = spatial.map((s) => (s - 1) / 2);
  const autoPad = stringAttribute(conv, 'auto_pad');
  if (
    !ones('strides') ||
    !ones('dilations') ||
    intAttribute(conv, 'group', 1) !== 1 ||
    (autoPad !== undefined && autoPad !== 'NOTSET') ||
    (getAttribute(conv, 'kernel_shape') !== undefined &&
      intsAttribute(conv, 'kernel_shape')?.join() !== spatial.join()) ||
    pads.join() !== [...half, ...half].join()
  )
    return undefined;
  const bias = biasValues(index, b, 1);
  if (bias === null || (bias !== undefined && bias[0] !== 0)) return undefined;
  return { k, weight: w };
}

export const ecaForm: ExcitationForm<'eca'> = {
  options: [],
  wants: () => 'nc',
  emit(sink, d, block) {
    const k = block.excitation.kernelSize;
    const p = (k - 1) / 2;
    const rows = op(sink, 'Unsqueeze', [d.name, int64s(sink, 'conv_axes', [1, 3])], 'conv_input');
    const w = sink.weight(
      tensorName(block, 'convWeight'),
      floatTensor('', [1, 1, k, 1], block.weights.convWeight),
    );
    const conv = op(sink, 'Conv', [rows, w], 'conv', { kernel_shape: [k, 1], pads: [p, 0, p, 0] });
    return { name: op(sink, 'Flatten', [conv], 'conv_output', { axis: 1 }), shape: d.shape };
  },
  match(index, tensor) {
    const nodes: NodeProto[] = [];
    const conv = producerOf(index, skipShapeOps(index, tensor, nodes), ['Conv']);
    const found = conv && ecaConv(index, conv);
    const input = conv?.input?.[0];
    // A [1, 1, 1, 1] weight is also a 1×1 dense layer of one channel (ese, C = 1): it is ECA's
    // only when the channels were moved off axis 1 first.
    if (!conv || !found || !input) return undefined;
    if (found.k === 1 && !channelsMovedOffAxis1(index, input)) return undefined;
    const t = index.constant(found.weight);
    if (!t) return undefined;
    return {
      value: {
        excitation: { kind: 'eca', kernelSize: found.k },
        weights: { convWeight: readFloatTensor(t, 'conv.weight') },
        weightName: weightName(index, found.weight),
        form: {},
      },
      input: skipShapeOps(index, input, nodes),
      nodes: [conv, ...nodes],
    };
  },
};
