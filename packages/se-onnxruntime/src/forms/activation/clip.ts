import { type GraphSink, op, scalar } from '../../graph/sink.js';
import type { GraphIndex } from '../../proto/graph-index.js';
import type { NodeProto } from '../../proto/onnx.js';
import { clipBounds, producerOf } from '../match.js';

/** Clip with tensor bounds (attributes were removed in opset 11): relu6, the hardswish and hard-sigmoid clamps. */
export function emitClip(sink: GraphSink, z: string, min: number, max: number, hint: string) {
  return op(
    sink,
    'Clip',
    [z, scalar(sink, `${hint}_min`, min), scalar(sink, `${hint}_max`, max)],
    hint,
  );
}

/** The Clip node producing `tensor` when its bounds are exactly [min, max]. */
export function clipOf(
  index: GraphIndex,
  tensor: string | undefined,
  min: number,
  max: number,
): NodeProto | undefined {
  const node = producerOf(index, tensor, ['Clip']);
  const bounds = node && clipBounds(index, node);
  return bounds?.[0] === min && bounds[1] === max && node?.input?.[0] ? node : undefined;
}
