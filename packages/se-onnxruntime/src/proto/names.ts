import type { FunctionProto, GraphProto, ModelProto } from './onnx.js';

/**
 * Hands out names that collide with nothing already in a model: tensor names,
 * node names, initializer names, value infos, and everything inside subgraphs
 * and local functions (a subgraph may read an outer tensor by name).
 */
export class NameAllocator {
  private readonly taken = new Set<string>();

  constructor(
    model?: ModelProto | { graph?: GraphProto | null; functions?: FunctionProto[] | null },
  ) {
    if (model?.graph) this.addGraph(model.graph);
    for (const fn of model?.functions ?? []) {
      for (const name of [...(fn.input ?? []), ...(fn.output ?? [])]) this.taken.add(name);
      for (const node of fn.node ?? []) this.addNodeNames(node);
    }
  }

  private addNodeNames(node: NonNullable<GraphProto['node']>[number]): void {
    if (node.name) this.taken.add(node.name);
    for (const name of [...(node.input ?? []), ...(node.output ?? [])])
      if (name) this.taken.add(name);
    for (const attr of node.attribute ?? []) {
      if (attr.g) this.addGraph(attr.g);
      for (const g of attr.graphs ?? []) this.addGraph(g);
    }
  }

  private addGraph(graph: GraphProto): void {
    for (const list of [graph.input, graph.output, graph.valueInfo]) {
      for (const v of list ?? []) if (v.name) this.taken.add(v.name);
    }
    for (const t of graph.initializer ?? []) if (t.name) this.taken.add(t.name);
    for (const node of graph.node ?? []) this.addNodeNames(node);
  }

  /** Marks a name as used. */
  reserve(name: string): void {
    this.taken.add(name);
  }

  /** `base`, or `base_1`, `base_2`, … : the first that is free, now reserved. */
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }

  has(name: string): boolean {
    return this.taken.has(name);
  }
}
