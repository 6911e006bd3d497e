import { int64s, op } from '../../graph/sink.js';
import { intAttribute } from '../../proto/attributes.js';
import type { GraphIndex } from '../../proto/graph-index.js';
import type { NodeProto } from '../../proto/onnx.js';
import { producerOf } from '../match.js';
import { type ChannelPaddingForm, channelConvForm, oneInt } from './channel-conv.js';

// Kind ceca (SPEC.md, "ceca"): eca's taps (channel-conv.ts) around a circular padding, the last
// p channels, d, and the first p channels side by side (Slice, Slice, Concat on axis 1), which
// every EP runs (ONNX's Pad mode "wrap" needs opset 19). The left window states C ([C − p, C)),
// so the form is read back exactly whatever x's shape says. With k = 1 there is no padding and
// the graph is eca's k = 1 one, the same function: extractSE reads it as eca (tried first).

/** The window [start, end) of `d` on axis 1, or undefined when `tensor` is not one. */
function window(
  index: GraphIndex,
  tensor: string | undefined,
): { input: string; start: number; end: number; node: NodeProto } | undefined {
  const slice = producerOf(index, tensor, ['Slice']);
  const [input, starts, ends, axes, steps] = slice?.input ?? [];
  const start = oneInt(index, starts);
  const end = oneInt(index, ends);
  if (!slice || !input || start === undefined || end === undefined || oneInt(index, axes) !== 1)
    return undefined;
  if (steps && oneInt(index, steps) !== 1) return undefined;
  return { input, start, end, node: slice };
}

/** Circular padding: [d[:, C − p:], d, d[:, :p]] (p ≤ C, se-core's rule). */
const CIRCULAR: ChannelPaddingForm = {
  emit(sink, d, p, channels) {
    const axis = int64s(sink, 'conv_wrap_axis', [1]);
    const last = op(
      sink,
      'Slice',
      [
        d,
        int64s(sink, 'conv_wrap_last_start', [channels - p]),
        int64s(sink, 'conv_wrap_last_end', [channels]),
        axis,
      ],
      'conv_wrap_last',
    );
    const first = op(
      sink,
      'Slice',
      [
        d,
        int64s(sink, 'conv_wrap_first_start', [0]),
        int64s(sink, 'conv_wrap_first_end', [p]),
        axis,
      ],
      'conv_wrap_first',
    );
    return op(sink, 'Concat', [last, d, first], 'conv_wrap', { axis: 1 });
  },
  match(index, padded, p) {
    const concat = producerOf(index, padded, ['Concat']);
    const [l, d, r] = concat?.input ?? [];
    if (concat?.input?.length !== 3 || !d || intAttribute(concat, 'axis', 0) !== 1)
      return undefined;
    const last = window(index, l);
    const first = window(index, r);
    if (
      !last ||
      !first ||
      last.input !== d ||
      first.input !== d ||
      last.end - last.start !== p ||
      last.start < 0 ||
      first.start !== 0 ||
      first.end !== p
    )
      return undefined;
    return { input: d, nodes: [concat, last.node, first.node], channels: last.end };
  },
};

export const cecaForm = channelConvForm('ceca', CIRCULAR);
