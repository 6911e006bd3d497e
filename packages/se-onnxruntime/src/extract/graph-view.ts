import { SEModelError } from '../errors.js';
import { GraphIndex } from '../proto/graph-index.js';
import { MAX_FUNCTION_EXPANSION } from '../proto/limits.js';
import type { FunctionProto, GraphProto, ModelProto, NodeProto } from '../proto/onnx.js';

/** A node of the flattened view, with the graph node it came from (a function call, or itself). */
export type ViewNode = NodeProto & { readonly origin: string; readonly inFunction: boolean };

function functionKey(domain: string | null | undefined, name: string | null | undefined): string {
  return `${domain ?? ''}::${name ?? ''}`;
}

/**
 * How many nodes each called function expands to, computed before anything is expanded:
 * an SEModelError names a function that calls itself (ONNX forbids recursion; earlier versions
 * expanded it 8 levels deep, k^8 nodes) or one whose expansion passes MAX_FUNCTION_EXPANSION.
 * Depth-first with an explicit stack, so a long chain of functions cannot overflow the stack.
 */
function expandedSizes(
  functions: ReadonlyMap<string, FunctionProto>,
  calledFromGraph: readonly string[],
): Map<string, number> {
  const sizes = new Map<string, number>();
  const active = new Set<string>();
  const callees = (key: string) =>
    (functions.get(key)?.node ?? [])
      .map((n) => functionKey(n.domain, n.opType))
      .filter((k) => functions.has(k));
  for (const root of calledFromGraph) {
    const stack = [root];
    while (stack.length > 0) {
      const key = stack[stack.length - 1] as string;
      if (sizes.has(key)) {
        stack.pop();
        continue;
      }
      active.add(key);
      const pending = callees(key).filter((k) => !sizes.has(k));
      const cycle = pending.find((k) => active.has(k));
      if (cycle !== undefined) {
        throw new SEModelError(
          'model.functions',
          `function "${cycle}" calls itself${cycle === key ? '' : ` (through "${key}")`}; ONNX functions may not be recursive`,
        );
      }
      if (pending.length > 0) {
        stack.push(...pending);
        continue;
      }
      let size = 0;
      for (const n of functions.get(key)?.node ?? [])
        size += sizes.get(functionKey(n.domain, n.opType)) ?? 1;
      if (size > MAX_FUNCTION_EXPANSION) {
        throw new SEModelError(
          'model.functions',
          `function "${key}" expands to more than ${MAX_FUNCTION_EXPANSION} nodes (${size}), the most this package expands (MAX_FUNCTION_EXPANSION)`,
        );
      }
      sizes.set(key, size);
      active.delete(key);
      stack.pop();
    }
  }
  return sizes;
}

/**
 * The main graph with every call to a model-local function replaced by the
 * function's body (formal names mapped to the call's tensors, internal names
 * prefixed per call), so one pattern matcher sees plain and function-form blocks alike.
 * At most {@link MAX_FUNCTION_EXPANSION} nodes are created, or an SEModelError says why not.
 */
export function flattenedIndex(model: ModelProto): GraphIndex {
  const functions = new Map<string, FunctionProto>(
    model.functions.map((f) => [functionKey(f.domain, f.name), f]),
  );
  const graphNodes = model.graph?.node ?? [];
  const called = graphNodes
    .map((n) => functionKey(n.domain, n.opType))
    .filter((k) => functions.has(k));
  const sizes = expandedSizes(functions, called);
  const total = called.reduce((sum, k) => sum + (sizes.get(k) ?? 0), 0);
  if (total > MAX_FUNCTION_EXPANSION) {
    throw new SEModelError(
      'model.functions',
      `the graph's ${called.length} function calls expand to more than ${MAX_FUNCTION_EXPANSION} nodes (${total}), the most this package expands (MAX_FUNCTION_EXPANSION)`,
    );
  }

  interface Pending {
    readonly node: NodeProto;
    readonly origin: string;
    readonly rename: (t: string) => string;
    readonly depth: number;
  }
  const out: ViewNode[] = [];
  let calls = 0;
  // Pre-order with an explicit stack: a call's body appears where the call was.
  const stack: Pending[] = graphNodes
    .map((node) => ({ node, origin: node.name ?? '', rename: (t: string) => t, depth: 0 }))
    .reverse();
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { node, origin, rename, depth } = item;
    const fn = functions.get(functionKey(node.domain, node.opType));
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
      continue;
    }
    const scope = `${origin}::${fn.name}::${calls++}`;
    const formal = new Map<string, string>();
    for (const [i, name] of (fn.input ?? []).entries()) formal.set(name, inputs[i] ?? '');
    for (const [i, name] of (fn.output ?? []).entries()) formal.set(name, outputs[i] ?? '');
    const inner = (t: string) => formal.get(t) ?? `${scope}/${t}`;
    const body = fn.node ?? [];
    for (let i = body.length - 1; i >= 0; i--)
      stack.push({ node: body[i] as NodeProto, origin, rename: inner, depth: depth + 1 });
  }
  const graph: GraphProto = { ...(model.graph as GraphProto), node: out };
  return new GraphIndex(graph);
}
