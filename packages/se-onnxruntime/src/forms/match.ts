// Helpers of the backward matchers. A matcher takes the tensor a piece of an SE block produces
// and returns what that piece computes, the tensor it reads and its nodes, or undefined when
// the producers do not have that shape. Every form module pairs its matcher with its emitter.
import { floatAttribute } from '../proto/attributes.js';
import type { GraphIndex } from '../proto/graph-index.js';
import { isDefaultDomain, type NodeProto } from '../proto/onnx.js';
import { readFloatTensor } from '../proto/tensors.js';

export interface Matched<T> {
  readonly value: T;
  /** The tensor this piece reads. */
  readonly input: string;
  readonly nodes: readonly NodeProto[];
}

/** The node producing `tensor` when it is a default-domain op of one of `opTypes`. */
export function producerOf(
  index: GraphIndex,
  tensor: string | undefined,
  opTypes: readonly string[],
): NodeProto | undefined {
  const node = tensor ? index.producers.get(tensor)?.node : undefined;
  if (!node || !isDefaultDomain(node.domain)) return undefined;
  return opTypes.includes(node.opType ?? '') ? node : undefined;
}

/** A scalar (or single-element) float constant feeding a node. */
export function scalarConstant(index: GraphIndex, tensor: string | undefined): number | undefined {
  if (!tensor) return undefined;
  const t = index.constant(tensor);
  if (!t) return undefined;
  try {
    const values = readFloatTensor(t, 'constant');
    return values.length === 1 ? (values[0] as number) : undefined;
  } catch {
    return undefined;
  }
}

/** For a binary op, the non-constant operand and the scalar constant, in either order (Div, Sub: constant second). */
export function splitScalar(
  index: GraphIndex,
  node: NodeProto,
): { other: string; value: number } | undefined {
  const [a, b] = node.input ?? [];
  if (!a || !b) return undefined;
  const vb = scalarConstant(index, b);
  if (vb !== undefined && index.constant(a) === undefined) return { other: a, value: vb };
  const va = scalarConstant(index, a);
  if (
    va !== undefined &&
    index.constant(b) === undefined &&
    node.opType !== 'Div' &&
    node.opType !== 'Sub'
  )
    return { other: b, value: va };
  return undefined;
}

/** The operands of a commutative binary node, in both orders. */
export function bothOrders(node: NodeProto | undefined): [string, string][] {
  const [a, b] = node?.input ?? [];
  return a && b
    ? [
        [a, b],
        [b, a],
      ]
    : [];
}

/** Clip bounds from inputs (opset >= 11) or attributes (older). */
export function clipBounds(index: GraphIndex, node: NodeProto): [number, number] | undefined {
  const [, lo, hi] = node.input ?? [];
  const min = lo
    ? scalarConstant(index, lo)
    : floatAttribute(node, 'min', Number.NEGATIVE_INFINITY);
  const max = hi
    ? scalarConstant(index, hi)
    : floatAttribute(node, 'max', Number.POSITIVE_INFINITY);
  return min === undefined || max === undefined ? undefined : [min, max];
}

const SHAPE_OPS = ['Unsqueeze', 'Reshape', 'Flatten', 'Squeeze', 'Transpose', 'Identity'];

/**
 * Skips ops that only move values around (Unsqueeze, Reshape, Flatten, Squeeze, Transpose,
 * Identity), appending them to `nodes`: the forms change a vector's shape between stages.
 */
export function skipShapeOps(index: GraphIndex, tensor: string, nodes: NodeProto[]): string {
  let t = tensor;
  for (let i = 0; i < 8; i++) {
    const node = producerOf(index, t, SHAPE_OPS);
    if (!node?.input?.[0]) return t;
    nodes.push(node);
    t = node.input[0];
  }
  return t;
}

/** The first match of `tensor` among `candidates`, each tried in order. */
export function firstMatch<T>(
  candidates: readonly ((index: GraphIndex, tensor: string) => T | undefined)[],
  index: GraphIndex,
  tensor: string,
): T | undefined {
  for (const match of candidates) {
    const found = match(index, tensor);
    if (found !== undefined) return found;
  }
  return undefined;
}
