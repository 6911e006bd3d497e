import { type GraphSink, op, scalar } from '../graph/sink.js';
import type { GraphIndex } from '../proto/graph-index.js';
import type { NodeProto } from '../proto/onnx.js';
import { bothOrders, producerOf, scalarConstant, splitScalar } from './match.js';

/**
 * Where NaN guards go (SPEC.md, "NaN and overflow": NaN propagates as PyTorch's does):
 * - 'max': on the max descriptor only. Every max pool we ran skips NaN somewhere
 *   (onnxruntime-node's GlobalMaxPool and ReduceMax, webgpu's and webgl's GlobalMaxPool:
 *   [1, NaN, 2, 3] gives 3), so the max takes its channel's NaN from the channel's mean.
 * - 'all': also after the activation and the gate, for GPU kernels that lose NaN: measured in
 *   Chromium on Dawn's and SwiftShader's CPU adapters, webgpu's and webgl's Relu, Clip and
 *   Sigmoid (its exp(NaN) is Infinity) return 0 for NaN.
 */
export type NaNGuard = 'max' | 'all';
export const NAN_GUARDS: readonly NaNGuard[] = ['max', 'all'];

/**
 * `value` where `source` is a number (±Infinity included), NaN where `source` is NaN:
 * value + 0 / (1 + |source|). Arithmetic only, which every EP runs on its own device with IEEE
 * semantics: 0 / (1 + |s|) is +0 for every number and for ±Infinity, and NaN only for NaN, so
 * value comes out exact (±Infinity too). Measured alternatives: IsNaN + Where send webgpu to
 * the CPU and do not exist on webgl; value + 0 / float(s == s) turned finite golden cases into
 * NaN on webgl (a 1-channel block, a batch of 5: its packed Equal/Cast).
 */
export function emitNaNGuard(sink: GraphSink, source: string, value: string, hint: string): string {
  const magnitude = op(sink, 'Abs', [source], `${hint}_abs`);
  const positive = op(sink, 'Add', [magnitude, scalar(sink, `${hint}_one`, 1)], `${hint}_one_plus`);
  const zeroOrNaN = op(
    sink,
    'Div',
    [scalar(sink, `${hint}_zero`, 0), positive],
    `${hint}_zero_or_nan`,
  );
  return op(sink, 'Add', [value, zeroOrNaN], hint);
}

/** A guard producing `tensor`: the guarded value, the tensor whose NaN it carries, and its nodes. */
export function matchNaNGuard(
  index: GraphIndex,
  tensor: string,
): { value: string; source: string; nodes: NodeProto[] } | undefined {
  const add = producerOf(index, tensor, ['Add']);
  for (const [value, other] of bothOrders(add)) {
    const div = producerOf(index, other, ['Div']);
    const positive = producerOf(index, div?.input?.[1], ['Add']);
    const one = positive && splitScalar(index, positive);
    const abs = producerOf(index, one?.other, ['Abs']);
    const source = abs?.input?.[0];
    if (
      add &&
      div &&
      positive &&
      one?.value === 1 &&
      abs &&
      source &&
      scalarConstant(index, div.input?.[0]) === 0
    )
      return { value, source, nodes: [add, div, positive, abs] };
  }
  return undefined;
}
