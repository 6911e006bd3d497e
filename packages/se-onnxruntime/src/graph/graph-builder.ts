import type { AttributeValue } from '../proto/attributes.js';
import type { NameAllocator } from '../proto/names.js';
import type { NodeProto, TensorProto } from '../proto/onnx.js';
import { type GraphSink, recordNode } from './sink.js';

/**
 * Collects nodes and initializers for a graph. Every name comes from the
 * model-wide allocator, so nothing added collides with what is there.
 * Node names are `<prefix>/<hint>`; weights are `<prefix>.<tensor name>` (`<prefix>.fc1.weight`),
 * the names se-core bundles use, so extractSE can give the block its name back.
 */
export class GraphBuilder implements GraphSink {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];

  constructor(
    readonly names: NameAllocator,
    readonly prefix: string,
    readonly opset: number,
  ) {}

  node(
    opType: string,
    inputs: readonly string[],
    hint: string,
    attrs?: Readonly<Record<string, AttributeValue>>,
    outputs?: readonly string[],
  ): string[] {
    return recordNode(
      this.nodes,
      this.names,
      this.names.fresh(`${this.prefix}/${hint}`),
      opType,
      inputs,
      attrs,
      outputs,
    );
  }

  constant(hint: string, tensor: TensorProto): string {
    const name = this.names.fresh(`${this.prefix}/${hint}`);
    this.initializers.push({ ...tensor, name });
    return name;
  }

  weight(tensorName: string, tensor: TensorProto): string {
    const name = this.names.fresh(`${this.prefix}.${tensorName}`);
    this.initializers.push({ ...tensor, name });
    return name;
  }
}
