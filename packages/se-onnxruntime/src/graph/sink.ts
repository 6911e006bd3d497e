import { type AttributeValue, attributes } from '../proto/attributes.js';
import type { NameAllocator } from '../proto/names.js';
import type { NodeProto, TensorProto } from '../proto/onnx.js';
import { floatTensor, int64Tensor } from '../proto/tensors.js';

/**
 * Where the forms write: a graph (constants become initializers) or a function body
 * (constants become Constant nodes, weights become formal inputs). One emitter, two
 * sinks: the function form cannot drift from the plain form.
 */
export interface GraphSink {
  readonly opset: number;
  /** Adds a node and returns its output names (`outputs` fixes them; otherwise fresh names from `hint`). */
  node(
    opType: string,
    inputs: readonly string[],
    hint: string,
    attrs?: Readonly<Record<string, AttributeValue>>,
    outputs?: readonly string[],
  ): string[];
  /** A constant input (axes, Clip bounds, scalars). */
  constant(hint: string, tensor: TensorProto): string;
  /**
   * A learned tensor of the block, under its se-core tensor name (`fc1.weight`, `conv.weight`):
   * the weight files' names, so extractSE can give the block its name back.
   */
  weight(tensorName: string, tensor: TensorProto): string;
}

/** Adds a one-output node and returns that output. */
export function op(
  sink: GraphSink,
  opType: string,
  inputs: readonly string[],
  hint: string,
  attrs?: Readonly<Record<string, AttributeValue>>,
): string {
  return sink.node(opType, inputs, hint, attrs)[0] as string;
}

/** A float32 scalar constant. */
export function scalar(sink: GraphSink, hint: string, value: number): string {
  return sink.constant(hint, floatTensor('', [], [value]));
}

/** An int64 vector constant (axes, shapes). */
export function int64s(sink: GraphSink, hint: string, values: readonly number[]): string {
  return sink.constant(hint, int64Tensor('', [values.length], values));
}

/**
 * Appends a node named `name` to `nodes` and returns its outputs: `outputs` when
 * given, else one fresh name derived from the node's. Both sinks record nodes this way.
 */
export function recordNode(
  nodes: NodeProto[],
  names: NameAllocator,
  name: string,
  opType: string,
  inputs: readonly string[],
  attrs?: Readonly<Record<string, AttributeValue>>,
  outputs?: readonly string[],
): string[] {
  const outs = outputs ? [...outputs] : [names.fresh(`${name}_output`)];
  nodes.push({
    name,
    opType,
    input: [...inputs],
    output: outs,
    attribute: attrs ? attributes(attrs) : [],
  });
  return outs;
}
