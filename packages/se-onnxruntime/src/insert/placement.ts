import type { NodeProto } from '../proto/onnx.js';

/**
 * Where inserted nodes go in a graph's node list, decided per insertion and applied once at
 * the end (splicing per insertion cost O(nodes) each). A group of nodes goes right after its
 * anchor node, or first in the graph when it reads a graph input; a group added later to the
 * same anchor goes ahead of earlier ones, because it sits between the anchor and them.
 * Inserted nodes can anchor groups too (an SE block after an SE block).
 */
export class Placement {
  private readonly first: NodeProto[][] = [];
  private readonly after = new Map<NodeProto, NodeProto[][]>();

  /** Places `nodes` right after `anchor`, or first in the graph when there is no anchor. */
  place(anchor: NodeProto | undefined, nodes: readonly NodeProto[]): void {
    if (!anchor) {
      this.first.push([...nodes]);
      return;
    }
    const groups = this.after.get(anchor);
    if (groups) groups.push([...nodes]);
    else this.after.set(anchor, [[...nodes]]);
  }

  /** The graph's nodes with every group in place (an explicit stack: chains of groups can be long). */
  apply(original: readonly NodeProto[]): NodeProto[] {
    const out: NodeProto[] = [];
    const pending: NodeProto[] = [...original].reverse();
    // Groups are pushed oldest first, so the newest is taken off the stack first.
    const pushGroups = (groups: readonly NodeProto[][] | undefined) => {
      for (const group of groups ?? [])
        for (let i = group.length - 1; i >= 0; i--) pending.push(group[i] as NodeProto);
    };
    pushGroups(this.first);
    for (let node = pending.pop(); node; node = pending.pop()) {
      out.push(node);
      pushGroups(this.after.get(node));
    }
    return out;
  }
}
