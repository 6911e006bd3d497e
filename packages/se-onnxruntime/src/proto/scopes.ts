import { SEModelError } from '../errors.js';
import { MAX_SUBGRAPH_DEPTH } from './limits.js';
import type { FunctionProto, GraphProto, NodeProto } from './onnx.js';

/** The parts of a model that hold nodes. */
export interface ModelParts {
  readonly graph?: GraphProto | null;
  readonly functions?: readonly FunctionProto[] | null;
}

/** One list of nodes of a model: the main graph, a function body, or a subgraph of a node. */
export interface Scope {
  readonly nodes: readonly NodeProto[];
  /** The graph, unless this is a function body. */
  readonly graph: GraphProto | undefined;
  readonly function: FunctionProto | undefined;
  /** 0 for the main graph and function bodies, one more per subgraph. */
  readonly depth: number;
}

/** The subgraphs a node holds (If branches, Loop/Scan bodies, attribute lists of graphs). */
export function subgraphsOf(node: NodeProto): { name: string; graph: GraphProto }[] {
  const out: { name: string; graph: GraphProto }[] = [];
  for (const attr of node.attribute ?? []) {
    if (attr.g) out.push({ name: attr.name ?? '', graph: attr.g });
    for (const g of attr.graphs ?? []) out.push({ name: attr.name ?? '', graph: g });
  }
  return out;
}

/**
 * Every scope of a model, found with an explicit stack (no recursion a model could drive past
 * the call stack). Throws an SEModelError when subgraphs nest deeper than
 * {@link MAX_SUBGRAPH_DEPTH}, naming the node where the limit was crossed.
 */
export function scopesOf(model: ModelParts): Scope[] {
  const found: Scope[] = [];
  const pending: Scope[] = [];
  if (model.graph)
    pending.push({
      nodes: model.graph.node ?? [],
      graph: model.graph,
      function: undefined,
      depth: 0,
    });
  for (const fn of model.functions ?? [])
    pending.push({ nodes: fn.node ?? [], graph: undefined, function: fn, depth: 0 });
  for (let scope = pending.pop(); scope; scope = pending.pop()) {
    found.push(scope);
    for (const node of scope.nodes) {
      for (const { name, graph } of subgraphsOf(node)) {
        if (scope.depth >= MAX_SUBGRAPH_DEPTH) {
          throw new SEModelError(
            scope.function ? 'model.functions' : 'model.graph',
            `subgraphs nested more than ${MAX_SUBGRAPH_DEPTH} levels deep (attribute "${name}" of ${node.opType} at level ${scope.depth + 1}); this package reads at most ${MAX_SUBGRAPH_DEPTH}`,
            node.name || undefined,
          );
        }
        pending.push({
          nodes: graph.node ?? [],
          graph,
          function: undefined,
          depth: scope.depth + 1,
        });
      }
    }
  }
  return found;
}
