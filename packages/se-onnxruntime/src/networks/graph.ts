import type { AttributeValue } from '../proto/attributes.js';
import { NameAllocator } from '../proto/names.js';
import type { NodeProto, TensorProto } from '../proto/onnx.js';
import { ownedFloatTensor } from '../proto/tensors.js';
import { type GraphTarget, recordNode } from './build-bridge.js';

/** The graph of one network as it is written: nodes in topological order and initializers. */
export class NetworkGraph implements GraphTarget {
  readonly names = new NameAllocator();
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];

  constructor(
    readonly opset: number,
    /** Graph input and output names, and the PyTorch names of the initializers to come. */
    reserved: Iterable<string>,
  ) {
    for (const name of reserved) this.names.reserve(name);
  }

  /** One node named `name` (made unique); returns its output tensor. */
  op(
    name: string,
    opType: string,
    inputs: readonly string[],
    attrs?: Readonly<Record<string, AttributeValue>>,
  ): string {
    return recordNode(
      this.nodes,
      this.names,
      this.names.fresh(name),
      opType,
      inputs,
      attrs,
    )[0] as string;
  }

  /**
   * A learned tensor under its PyTorch name, which the caller reserved when making the graph
   * (so no node took it; state_dict names are unique). `values` must be the build's own copy:
   * the initializer takes them over.
   */
  parameter(name: string, dims: readonly number[], values: Float32Array): string {
    this.initializers.push(ownedFloatTensor(name, dims, values));
    return name;
  }

  /** Gives tensor `from` the name `to` everywhere (the logits get the graph output's name). */
  rename(from: string, to: string): void {
    for (const node of this.nodes) {
      node.input = (node.input ?? []).map((n) => (n === from ? to : n));
      node.output = (node.output ?? []).map((n) => (n === from ? to : n));
    }
  }
}
