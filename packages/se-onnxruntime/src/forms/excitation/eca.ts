import { type GraphSink, int64s, op } from '../../graph/sink.js';
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
// Written as its k taps: d padded with (k−1)/2 zeros on each side of the channel axis (Pad),
// the k shifted windows (Slice), each times its tap (a Slice of the one `conv.weight`
// initializer), added (Sum). Elementwise ops every EP runs alike: onnxruntime-web's webgl EP
// computed the same thing written as a one-channel Conv wrong (ECA golden cases off by 10⁶
// ULPs with C = 3 and k = 1 or 9, and C = 2048), and the taps cost nothing beside the squeeze.
// extractSE also reads the Conv forms (PyTorch's Conv1d export, and 2-D ones).

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

/** The logits of `d` ([N, C]) as ECA's k taps: Σ_j w[j] · window_j(Pad(d)). */
function emitTaps(sink: GraphSink, d: string, k: number, weight: string, channels: number): string {
  const p = (k - 1) / 2;
  const padded =
    p === 0
      ? d
      : op(sink, 'Pad', [d, int64s(sink, 'conv_pads', [0, p, 0, p])], 'conv_pad', {
          mode: 'constant',
        });
  const axis = int64s(sink, 'conv_axis', [1]);
  const taps = Array.from({ length: k }, (_, j) => {
    const window = op(
      sink,
      'Slice',
      [
        padded,
        int64s(sink, `conv_start${j}`, [j]),
        int64s(sink, `conv_end${j}`, [j + channels]),
        axis,
      ],
      `conv_window${j}`,
    );
    const tap = op(
      sink,
      'Slice',
      [weight, int64s(sink, `conv_tap${j}`, [j]), int64s(sink, `conv_tap_end${j}`, [j + 1])],
      `conv_tap${j}`,
    );
    return op(sink, 'Mul', [window, tap], `conv_term${j}`);
  });
  return taps.length === 1 ? (taps[0] as string) : op(sink, 'Sum', taps, 'conv');
}

/** One int64 constant of one element (Slice's starts and ends). */
function oneInt(index: GraphIndex, tensor: string | undefined): number | undefined {
  const values = tensor ? constantInts(index, tensor) : undefined;
  return values?.length === 1 ? values[0] : undefined;
}

/** The taps form read back: the weight, k, and the tensor the Pad (or the windows) read. */
function matchTaps(
  index: GraphIndex,
  tensor: string,
): { k: number; weight: string; input: string; nodes: NodeProto[] } | undefined {
  const sum = producerOf(index, tensor, ['Sum']);
  const terms = sum ? (sum.input ?? []) : [tensor];
  const nodes: NodeProto[] = sum ? [sum] : [];
  let weight: string | undefined;
  let padded: string | undefined;
  let width: number | undefined;
  for (const [j, term] of terms.entries()) {
    const mul = producerOf(index, term, ['Mul']);
    const [a, b] = mul?.input ?? [];
    const window = producerOf(index, a, ['Slice']);
    const tap = producerOf(index, b, ['Slice']);
    const [source, start, end, axes] = window?.input ?? [];
    const [w, tapStart, tapEnd] = tap?.input ?? [];
    const span = (oneInt(index, end) ?? 0) - (oneInt(index, start) ?? -1);
    if (
      !mul ||
      !window ||
      !tap ||
      !source ||
      !w ||
      !index.constant(w) ||
      oneInt(index, start) !== j ||
      oneInt(index, axes) !== 1 ||
      oneInt(index, tapStart) !== j ||
      oneInt(index, tapEnd) !== j + 1 ||
      (padded !== undefined && (source !== padded || w !== weight || span !== width))
    )
      return undefined;
    [padded, weight, width] = [source, w, span];
    nodes.push(mul, window, tap);
  }
  const k = terms.length;
  const p = (k - 1) / 2;
  const taps = weight ? index.constant(weight) : undefined;
  if (!weight || !padded || !taps || k % 2 !== 1 || tensorDims(taps).join() !== `${k}`)
    return undefined;
  if (p === 0) return { k, weight, input: padded, nodes };
  const pad = producerOf(index, padded, ['Pad']);
  const [input, pads, value] = pad?.input ?? [];
  const zeros = constantInts(index, pads ?? '')?.join() === [0, p, 0, p].join();
  if (!pad || !input || !zeros || (value && biasValues(index, value, 1)?.[0] !== 0))
    return undefined;
  return { k, weight, input, nodes: [...nodes, pad] };
}

/** A Conv form read back (PyTorch's Conv1d export, or a 2-D one). */
function matchConv(index: GraphIndex, tensor: string): ReturnType<typeof matchTaps> {
  const conv = producerOf(index, tensor, ['Conv']);
  const found = conv && ecaConv(index, conv);
  const input = conv?.input?.[0];
  if (!conv || !found || !input) return undefined;
  // A [1, 1, 1, 1] weight is also a 1×1 dense layer of one channel (ese, C = 1): it is ECA's
  // only when the channels were moved off axis 1 first.
  if (found.k === 1 && !channelsMovedOffAxis1(index, input)) return undefined;
  return { ...found, input, nodes: [conv] };
}

export const ecaForm: ExcitationForm<'eca'> = {
  options: [],
  wants: () => 'nc',
  emit(sink, d, block) {
    const k = block.excitation.kernelSize;
    const w = sink.weight(
      tensorName(block, 'convWeight'),
      floatTensor('', [k], block.weights.convWeight),
    );
    return { name: emitTaps(sink, d.name, k, w, block.spec.channels), shape: d.shape };
  },
  match(index, tensor) {
    const nodes: NodeProto[] = [];
    const logits = skipShapeOps(index, tensor, nodes);
    const found = matchTaps(index, logits) ?? matchConv(index, logits);
    const t = found && index.constant(found.weight);
    if (!found || !t) return undefined;
    return {
      value: {
        excitation: { kind: 'eca', kernelSize: found.k },
        weights: { convWeight: readFloatTensor(t, 'conv.weight') },
        weightName: weightName(index, found.weight),
        form: {},
      },
      input: skipShapeOps(index, found.input, nodes),
      nodes: [...found.nodes, ...nodes],
    };
  },
};
