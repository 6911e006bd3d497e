import type { GraphProto, NodeProto, TensorProto, ValueInfoProto } from './onnx.js';
import { tensorDims } from './tensors.js';

/** Where a tensor comes from. */
export interface Producer {
  readonly node: NodeProto;
  readonly index: number;
  readonly output: number;
}

/**
 * Look-up tables over one graph: who produces each tensor, initializers (followed
 * through the Identity nodes PyTorch's exporter adds when it shares equal constants)
 * and declared shapes. Graph surgery keeps it current with {@link GraphIndex.add} and
 * {@link GraphIndex.moveOutput} instead of indexing the whole graph again per edit.
 */
export class GraphIndex {
  readonly producers = new Map<string, Producer>();
  readonly initializers = new Map<string, TensorProto>();
  readonly inputs = new Set<string>();
  readonly valueInfos = new Map<string, ValueInfoProto>();
  readonly nodesByName = new Map<string, NodeProto>();

  constructor(readonly graph: GraphProto) {
    for (const t of graph.initializer ?? []) if (t.name) this.initializers.set(t.name, t);
    for (const v of graph.input ?? [])
      if (v.name && !this.initializers.has(v.name)) this.inputs.add(v.name);
    for (const list of [graph.input, graph.output, graph.valueInfo]) {
      for (const v of list ?? []) if (v.name) this.valueInfos.set(v.name, v);
    }
    (graph.node ?? []).forEach((node, index) => {
      if (node.name) this.nodesByName.set(node.name, node);
      this.addProducer(node, index);
    });
  }

  private addProducer(node: NodeProto, index: number): void {
    (node.output ?? []).forEach((name, output) => {
      if (name) this.producers.set(name, { node, index, output });
    });
  }

  /** Indexes nodes and initializers added to the graph; their position is `index` (their anchor's). */
  add(nodes: readonly NodeProto[], initializers: readonly TensorProto[], index: number): void {
    for (const t of initializers) if (t.name) this.initializers.set(t.name, t);
    for (const node of nodes) {
      if (node.name) this.nodesByName.set(node.name, node);
      this.addProducer(node, index);
    }
  }

  /** Renames what `producer` writes to `name` (in the node and in the index). */
  moveOutput(producer: Producer, name: string): void {
    const outputs = producer.node.output as string[];
    this.producers.delete(outputs[producer.output] as string);
    outputs[producer.output] = name;
    this.producers.set(name, producer);
  }

  /** The constant behind a tensor name: an initializer, a Constant node, or either through Identity. */
  constant(name: string, depth = 0): TensorProto | undefined {
    const init = this.initializers.get(name);
    if (init) return init;
    const producer = this.producers.get(name);
    if (!producer || depth > 8) return undefined;
    const { node } = producer;
    if (node.opType === 'Identity' && !node.domain)
      return this.constant(node.input?.[0] ?? '', depth + 1);
    if (node.opType === 'Constant' && !node.domain) {
      const value = (node.attribute ?? []).find((a) => a.name === 'value');
      return value?.t ? { ...value.t, name } : undefined;
    }
    return undefined;
  }

  constantDims(name: string): number[] | undefined {
    const t = this.constant(name);
    return t ? tensorDims(t) : undefined;
  }

  /** Declared shape: numbers for fixed dims, strings for symbolic, undefined for unknown. */
  declaredShape(name: string): (number | string | undefined)[] | undefined {
    const shape = this.valueInfos.get(name)?.type?.tensorType?.shape;
    if (!shape) return undefined;
    return (shape.dim ?? []).map((d) => {
      if (d.dimValue !== undefined && d.dimValue !== null && Number(d.dimValue) > 0)
        return Number(d.dimValue);
      return d.dimParam || undefined;
    });
  }
}
