import { GraphIndex } from '../proto/graph-index.js';
import type { FunctionProto, GraphProto, ModelProto, NodeProto } from '../proto/onnx.js';

/** A node of the flattened view, with the graph node it came from (a function call, or itself). */
export type ViewNode = NodeProto & { readonly origin: string; readonly inFunction: boolean };

function functionKey(domain: string | null | undefined, name: string | null | undefined): string {
  return `${domain ?? ''}::${name ?? ''}`;
}

/**
 * The main graph with every call to a model-local function replaced by the
 * function's body (formal names mapped to the call's tensors, internal names
 * prefixed), so one pattern matcher sees plain and function-form blocks alike.
 */
export function flattenedIndex(model: ModelProto): GraphIndex {
  const functions = new Map<string, FunctionProto>(
    model.functions.map((f) => [functionKey(f.domain, f.name), f]),
  );
  const out: ViewNode[] = [];
  const expand = (
    node: NodeProto,
    origin: string,
    rename: (t: string) => string,
    depth: number,
  ) => {
    const fn = depth < 8 ? functions.get(functionKey(node.domain, node.opType)) : undefined;
    const inputs = (node.input ?? []).map((t) => (t ? rename(t) : t));
    const outputs = (node.output ?? []).map((t) => (t ? rename(t) : t));
    if (!fn) {
      out.push({
        ...node,
        input: inputs,
        output: outputs,
        origin,
        inFunction: depth > 0,
      } as ViewNode);
      return;
    }
    const scope = `${origin}::${fn.name}::${depth}`;
    const formal = new Map<string, string>();
    for (const [i, name] of (fn.input ?? []).entries()) formal.set(name, inputs[i] ?? '');
    for (const [i, name] of (fn.output ?? []).entries()) formal.set(name, outputs[i] ?? '');
    const inner = (t: string) => formal.get(t) ?? `${scope}/${t}`;
    for (const child of fn.node ?? []) expand(child, origin, inner, depth + 1);
  };
  for (const node of model.graph?.node ?? []) expand(node, node.name ?? '', (t) => t, 0);
  const graph: GraphProto = { ...(model.graph as GraphProto), node: out };
  return new GraphIndex(graph);
}
