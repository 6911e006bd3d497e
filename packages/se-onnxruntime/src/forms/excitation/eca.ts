import { int64s, op } from '../../graph/sink.js';
import {
  getAttribute,
  intAttribute,
  intsAttribute,
  stringAttribute,
} from '../../proto/attributes.js';
import type { GraphIndex } from '../../proto/graph-index.js';
import type { NodeProto } from '../../proto/onnx.js';
import { tensorDims } from '../../proto/tensors.js';
import { biasValues } from '../dense/form.js';
import { producerOf } from '../match.js';
import {
  type ChannelConvMatch,
  type ChannelPaddingForm,
  channelConvForm,
  constantInts,
} from './channel-conv.js';

// Kind eca (SPEC.md, "eca"): logits[c] = Σ_j w[j] · d[c + j − (k−1)/2], zero outside [0, C).
// Written as its k taps around a zero Pad (channel-conv.ts). extractSE also reads the Conv
// forms (PyTorch's Conv1d export, and 2-D ones).

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

/** A Conv form read back (PyTorch's Conv1d export, or a 2-D one). */
function matchConv(index: GraphIndex, tensor: string): ChannelConvMatch | undefined {
  const conv = producerOf(index, tensor, ['Conv']);
  const found = conv && ecaConv(index, conv);
  const input = conv?.input?.[0];
  if (!conv || !found || !input) return undefined;
  // A [1, 1, 1, 1] weight is also a 1×1 dense layer of one channel (ese, C = 1): it is ECA's
  // only when the channels were moved off axis 1 first.
  if (found.k === 1 && !channelsMovedOffAxis1(index, input)) return undefined;
  return { ...found, input, nodes: [conv] };
}

/** Zero padding: ONNX Pad, constant mode, value 0 (or none). */
const ZEROS: ChannelPaddingForm = {
  emit: (sink, d, p) =>
    op(sink, 'Pad', [d, int64s(sink, 'conv_pads', [0, p, 0, p])], 'conv_pad', {
      mode: 'constant',
    }),
  match(index, padded, p) {
    const pad = producerOf(index, padded, ['Pad']);
    const [input, pads, value] = pad?.input ?? [];
    const zeros = constantInts(index, pads ?? '')?.join() === [0, p, 0, p].join();
    if (!pad || !input || !zeros || (value && biasValues(index, value, 1)?.[0] !== 0))
      return undefined;
    return { input, nodes: [pad] };
  },
};

export const ecaForm = channelConvForm('eca', ZEROS, matchConv);
