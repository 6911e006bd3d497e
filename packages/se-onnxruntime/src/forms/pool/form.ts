import type { Layout } from '@seblock/se-core';
import type { GraphSink } from '../../graph/sink.js';
import type { GraphIndex } from '../../proto/graph-index.js';
import type { NodeProto } from '../../proto/onnx.js';
import type { Matched } from '../match.js';
import type { Vector } from '../vector.js';

/** What one pool computes per channel of each sample: the mean or the max over H×W. */
export type Statistic = 'mean' | 'max';

/** A pool read from a graph. `input` (of the Matched) is what the pool op reads. */
export interface PoolMatch {
  readonly stat: Statistic;
  /** The layout of the pool op's own input. */
  readonly layout: Layout;
  /** When the pool reads an NHWC tensor through a Transpose to NCHW: that tensor and the Transpose. */
  readonly fromNHWC?: { readonly input: string; readonly transpose: NodeProto };
}

/**
 * One way of writing the spatial pools of the squeeze (mean and max over H×W), and of
 * recognising them: the `squeezeOp` build option.
 */
export interface PoolForm {
  /** What the pools read: x, or x prepared once for every pool of the block (a Transpose). */
  prepare(sink: GraphSink, x: string, layout: Layout): string;
  /** The mean or max of each channel; `flat` asks for [N, C] when the op can give it directly. */
  emit(sink: GraphSink, input: string, stat: Statistic, layout: Layout, flat: boolean): Vector;
  match(index: GraphIndex, tensor: string): Matched<PoolMatch> | undefined;
}
