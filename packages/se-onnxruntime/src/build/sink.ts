import { type AttributeValue, attributes } from '../proto/attributes.js';
import type { NameAllocator } from '../proto/names.js';
import type { NodeProto, TensorProto } from '../proto/onnx.js';

/** The four learned tensors of a block, named as in se-core weight files. */
export type WeightRole = 'fc1.weight' | 'fc1.bias' | 'fc2.weight' | 'fc2.bias';

/**
 * Where the SE emitter writes: a graph (constants become initializers) or a
 * function body (constants become Constant nodes, weights become formal inputs).
 * One emitter, two sinks: the function form cannot drift from the plain form.
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
  /** A learned tensor of the block. */
  weight(role: WeightRole, tensor: TensorProto): string;
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
