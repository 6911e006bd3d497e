import {
  type AttributeProto,
  AttributeType,
  type NodeProto,
  type TensorProto,
  toNumber,
} from './onnx.js';

export type AttributeValue =
  | number
  | readonly number[]
  | string
  | TensorProto
  | { readonly float: number };

/**
 * Builds attributes from a plain object. Integers become INT, `{ float: v }`
 * forces FLOAT (so `alpha: 1` is not written as an int), arrays become INTS,
 * strings STRING, tensors TENSOR.
 */
export function attributes(values: Readonly<Record<string, AttributeValue>>): AttributeProto[] {
  return Object.entries(values).map(([name, value]): AttributeProto => {
    if (typeof value === 'number') {
      return Number.isInteger(value)
        ? { name, type: AttributeType.INT, i: value }
        : { name, type: AttributeType.FLOAT, f: value };
    }
    if (typeof value === 'string')
      return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
    if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: [...value] };
    if ('float' in (value as object))
      return { name, type: AttributeType.FLOAT, f: (value as { float: number }).float };
    return { name, type: AttributeType.TENSOR, t: value as TensorProto };
  });
}

export function getAttribute(node: NodeProto, name: string): AttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

export function intAttribute(node: NodeProto, name: string, fallback: number): number {
  const a = getAttribute(node, name);
  return a ? toNumber(a.i) : fallback;
}

export function floatAttribute(node: NodeProto, name: string, fallback: number): number {
  const a = getAttribute(node, name);
  return a ? (a.f ?? fallback) : fallback;
}

export function intsAttribute(node: NodeProto, name: string): number[] | undefined {
  const a = getAttribute(node, name);
  return a ? (a.ints ?? []).map((v) => toNumber(v)) : undefined;
}

export function stringAttribute(node: NodeProto, name: string): string | undefined {
  const a = getAttribute(node, name);
  return a?.s ? new TextDecoder().decode(a.s) : undefined;
}
