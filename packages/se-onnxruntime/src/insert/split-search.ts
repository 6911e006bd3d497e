import type { GraphIndex } from '../proto/graph-index.js';
import { isDefaultDomain } from '../proto/onnx.js';

/**
 * How far the residual search walks back from one Add: every tensor it takes off its queue and
 * every input it looks at costs one step. The residual Adds of the ResNet, SE-ResNet and
 * MobileNetV3 fixtures split within 10–33 steps; an Add whose sides have not met after this
 * many is not treated as a residual, which keeps the search linear in the size of any model.
 */
export const RESIDUAL_SEARCH_STEPS = 256;

/** Where the two inputs of an Add last met, and the Conv layers on each side since. */
export interface Split {
  readonly tensor: string;
  readonly convsA: number;
  readonly convsB: number;
}

/**
 * The graph as integer arrays (tensor ids, producer positions, node inputs), built once per
 * search: each Add's walk then costs a few nanoseconds a step instead of a few string-keyed
 * Map look-ups, and nothing is allocated per Add but its queue.
 */
export class SplitSearch {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  /** Per tensor: the position of its producer in the node list, or -1. */
  private readonly producerAt: number[] = [];
  /** Per node position: its non-constant input ids, and whether it is a Conv. */
  private readonly inputsOf: Int32Array[] = [];
  private readonly isConv: boolean[] = [];
  private readonly marks: Uint8Array;
  private readonly stamp: Int32Array;
  private generation = 0;

  constructor(index: GraphIndex) {
    const nodes = index.graph.node ?? [];
    nodes.forEach((node, at) => {
      this.isConv.push(node.opType === 'Conv' && isDefaultDomain(node.domain));
      // A constant input (initializer) is nobody's ancestor worth walking to.
      const inputs = (node.input ?? []).filter((t) => t && !index.initializers.has(t));
      this.inputsOf.push(Int32Array.from(inputs, (t) => this.id(t)));
      for (const t of node.output ?? []) if (t) this.producerAt[this.id(t)] = at;
    });
    this.marks = new Uint8Array(this.names.length);
    this.stamp = new Int32Array(this.names.length);
  }

  private id(tensor: string): number {
    let id = this.ids.get(tensor);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(tensor, id);
      this.names.push(tensor);
      this.producerAt.push(-1);
    }
    return id;
  }

  /**
   * Walks back from tensors `a` and `b` at once, latest producer first (ONNX lists nodes in
   * topological order), marking each tensor with the sides that reach it. The first tensor
   * taken off the queue with both marks is the latest one both sides depend on: the split.
   * Every tensor taken off before it belongs to one side only, and that side's Conv layers
   * are counted. Undefined when the sides do not meet within {@link RESIDUAL_SEARCH_STEPS} steps.
   */
  find(a: string, b: string): Split | undefined {
    const idA = this.ids.get(a);
    const idB = this.ids.get(b);
    if (idA === undefined || idB === undefined) return undefined;
    const generation = ++this.generation; // marks from earlier searches read as none
    const { marks, stamp, producerAt, inputsOf, isConv } = this;
    const marksOf = (t: number) => (stamp[t] === generation ? (marks[t] as number) : 0);
    const mark = (t: number, m: number) => {
      marks[t] = marksOf(t) | m;
      stamp[t] = generation;
    };
    const queue = new TensorQueue(producerAt);
    mark(idA, 1);
    mark(idB, 2);
    queue.push(idA);
    if (idB !== idA) queue.push(idB);
    let convsA = 0;
    let convsB = 0;
    let steps = 0;
    for (let t = queue.pop(); t >= 0; t = queue.pop()) {
      const sides = marksOf(t);
      if (sides === 3) return { tensor: this.names[t] as string, convsA, convsB };
      if (++steps > RESIDUAL_SEARCH_STEPS) return undefined;
      const at = producerAt[t] as number;
      if (at < 0) continue;
      if (isConv[at]) {
        if (sides === 1) convsA++;
        else convsB++;
      }
      const inputs = inputsOf[at] as Int32Array;
      for (let i = 0; i < inputs.length; i++) {
        if (++steps > RESIDUAL_SEARCH_STEPS) return undefined;
        const input = inputs[i] as number;
        if (marksOf(input) === 0) queue.push(input);
        mark(input, sides);
      }
    }
    return undefined;
  }
}

/** A max-heap of tensor ids by their producer's position: the latest producer first. */
class TensorQueue {
  private readonly items: number[] = [];
  constructor(private readonly at: readonly number[]) {}

  push(tensor: number): void {
    const { items, at } = this;
    const key = at[tensor] as number;
    let i = items.length;
    items.push(tensor);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = items[parent] as number;
      if ((at[above] as number) >= key) break;
      items[i] = above;
      i = parent;
    }
    items[i] = tensor;
  }

  /** The id with the latest producer, or -1 when empty. */
  pop(): number {
    const { items, at } = this;
    if (items.length === 0) return -1;
    const top = items[0] as number;
    const last = items.pop() as number;
    const n = items.length;
    if (n === 0) return top;
    const key = at[last] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (
        right < n &&
        (at[items[right] as number] as number) > (at[items[child] as number] as number)
      )
        child = right;
      if ((at[items[child] as number] as number) <= key) break;
      items[i] = items[child] as number;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
