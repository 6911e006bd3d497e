import type { GraphProto, NodeProto, TensorProto, ValueInfoProto } from './onnx.js';
import { tensorDims } from './tensors.js';

/** Where a tensor comes from. */
export interface Producer {
  readonly node: NodeProto;
  readonly index: number;
  readonly output: number;
}

/**
 * Look-up tables over one graph: who produces and who consumes each tensor,
 * initializers (followed through the Identity nodes PyTorch's exporter adds when
 * it shares equal constants) and declared shapes.
 */
export class GraphIndex {
  readonly producers = new Map<string, Producer>();
  readonly consumers = new Map<string, NodeProto[]>();
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
      (node.output ?? []).forEach((name, output) => {
        if (name) this.producers.set(name, { node, index, output });
      });
      for (const name of node.input ?? []) {
        if (!name) continue;
        const list = this.consumers.get(name);
        if (list) list.push(node);
        else this.consumers.set(name, [node]);
      }
    });
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
