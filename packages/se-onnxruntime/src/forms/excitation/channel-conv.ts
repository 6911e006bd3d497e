import type { ExcitationKindName, ExcitationSpecOf } from '@seblock/se-core';
import { type GraphSink, int64s, op } from '../../graph/sink.js';
import type { GraphIndex } from '../../proto/graph-index.js';
import type { NodeProto } from '../../proto/onnx.js';
import { floatTensor, readFloatTensor, readIntTensor, tensorDims } from '../../proto/tensors.js';
import { weightName } from '../dense/form.js';
import { producerOf, skipShapeOps } from '../match.js';
import { type ExcitationForm, tensorName } from './form.js';

// The k-tap 1-D convolution across channels of the ECA-like kinds (SPEC.md, "eca", "ceca"):
// logits[c] = Σ_j w[j] · d[c + j − (k−1)/2], past the channel ends zeros (eca) or the channels
// wrapped around (ceca). Written as its k taps: d padded by (k−1)/2 on each side of the channel
// axis, the k shifted windows (Slice), each times its tap (a Slice of the one `conv.weight`
// initializer), added (Sum). Elementwise ops every EP runs alike: onnxruntime-web's webgl EP
// computed the same thing written as a one-channel Conv wrong (ECA golden cases off by 10⁶
// ULPs with C = 3 and k = 1 or 9, and C = 2048), and the taps cost nothing beside the squeeze.
// A kind brings how its padding is written and read back.

/** The kinds whose excitation is such a convolution (a `kernelSize` field). */
type ChannelConvKind = {
  [K in ExcitationKindName]: ExcitationSpecOf<K> extends { readonly kernelSize: number }
    ? K
    : never;
}[ExcitationKindName];

/** The padding of d [N, C] by p ≥ 1 on each side of axis 1, written and read back. */
export interface ChannelPaddingForm {
  emit(sink: GraphSink, d: string, p: number, channels: number): string;
  /** What `padded` pads by p (its input and nodes, and C when the form states it), or undefined. */
  match(
    index: GraphIndex,
    padded: string,
    p: number,
  ): { input: string; nodes: NodeProto[]; channels?: number } | undefined;
}

/** The convolution read back: its k and weight, the descriptor it reads, its nodes. */
export interface ChannelConvMatch {
  readonly k: number;
  readonly weight: string;
  readonly input: string;
  readonly nodes: NodeProto[];
  /** C, when the form states it (ceca's wrapped window). */
  readonly channels?: number;
}

/** An int constant, or undefined when `tensor` is not one. */
export function constantInts(index: GraphIndex, tensor: string): number[] | undefined {
  const t = index.constant(tensor);
  if (!t) return undefined;
  try {
    return readIntTensor(t, 'constant');
  } catch {
    return undefined;
  }
}

/** One int64 constant of one element (Slice's starts and ends). */
export function oneInt(index: GraphIndex, tensor: string | undefined): number | undefined {
  const values = tensor ? constantInts(index, tensor) : undefined;
  return values?.length === 1 ? values[0] : undefined;
}

/** The logits of `d` ([N, C]) as the k taps: Σ_j w[j] · window_j(padded d). */
function emitTaps(
  sink: GraphSink,
  d: string,
  k: number,
  weight: string,
  channels: number,
  padding: ChannelPaddingForm,
): string {
  const p = (k - 1) / 2;
  const padded = p === 0 ? d : padding.emit(sink, d, p, channels);
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

/** The taps form read back: the weight, k, and the tensor the padding (or the windows) read. */
function matchTaps(
  index: GraphIndex,
  tensor: string,
  padding: ChannelPaddingForm,
): ChannelConvMatch | undefined {
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
  const pad = padding.match(index, padded, p);
  if (!pad || (pad.channels !== undefined && pad.channels !== width)) return undefined;
  return { k, weight, input: pad.input, nodes: [...nodes, ...pad.nodes], channels: pad.channels };
}

/**
 * The form of an ECA-like kind: its k taps around `padding`, read back by the same, or by
 * `otherForms` (eca: the Conv forms PyTorch exports).
 */
export function channelConvForm<K extends ChannelConvKind>(
  kind: K,
  padding: ChannelPaddingForm,
  otherForms?: (index: GraphIndex, tensor: string) => ChannelConvMatch | undefined,
): ExcitationForm<K> {
  return {
    options: [],
    wants: () => 'nc',
    emit(sink, d, block) {
      const k = (block.excitation as { readonly kernelSize: number }).kernelSize;
      const w = sink.weight(
        tensorName(block, 'convWeight'),
        floatTensor('', [k], (block.weights as { readonly convWeight: Float32Array }).convWeight),
      );
      return { name: emitTaps(sink, d.name, k, w, block.spec.channels, padding), shape: d.shape };
    },
    match(index, tensor) {
      const nodes: NodeProto[] = [];
      const logits = skipShapeOps(index, tensor, nodes);
      const found = matchTaps(index, logits, padding) ?? otherForms?.(index, logits);
      const t = found && index.constant(found.weight);
      if (!found || !t) return undefined;
      return {
        value: {
          excitation: { kind, kernelSize: found.k },
          ...(found.channels === undefined ? {} : { channels: found.channels }),
          weights: { convWeight: readFloatTensor(t, 'conv.weight') },
          weightName: weightName(index, found.weight),
          form: {},
        },
        input: skipShapeOps(index, found.input, nodes),
        nodes: [...found.nodes, ...nodes],
      };
    },
  };
}
