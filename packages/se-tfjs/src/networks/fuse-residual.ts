import type { NetworkDefinition, NetworkNode, SENode } from '@seblock/se-core/networks';
import type { SEResidualActivation } from '../op/fused.js';

/** An SE node whose only consumer is a residual addition, run as one SqueezeExciteResidual. */
export interface FusedResidualStep {
  /** The SE node: its id names the fused layer (so the state_dict names do not change). */
  readonly se: SENode;
  /** The addition `se + shortcut`; the fused layer is applied where it stands. */
  readonly addId: string;
  /** The id of the other input of the addition. */
  readonly shortcutId: string;
  /** The ReLU node folded in, when the addition's only consumer is one. */
  readonly activationId?: string;
  readonly activation: SEResidualActivation;
}

/** What {@link planResidualFusion} found: the steps, keyed by the node ids they absorb. */
export interface ResidualFusionPlan {
  /** SE nodes not built where they stand (their layer is made at the addition). */
  readonly deferred: ReadonlySet<string>;
  /** Addition id → its fused step. */
  readonly atAdd: ReadonlyMap<string, FusedResidualStep>;
  /** ReLU id → its fused step (its output is the fused layer's). */
  readonly atActivation: ReadonlyMap<string, FusedResidualStep>;
}

/**
 * Finds SE-ResNet's `se → add(·, shortcut) → relu` (and `se → add` without the ReLU) in a
 * network definition. Only exact chains fuse: each intermediate result must have one consumer
 * and must not be the network's output, since the fused layer never materialises it.
 */
export function planResidualFusion(network: NetworkDefinition): ResidualFusionPlan {
  const consumers = new Map<string, NetworkNode[]>();
  for (const node of network.nodes) {
    for (const id of node.inputs) consumers.set(id, [...(consumers.get(id) ?? []), node]);
  }
  const only = (id: string): NetworkNode | undefined => {
    const users = consumers.get(id) ?? [];
    return users.length === 1 && id !== network.output ? users[0] : undefined;
  };
  const deferred = new Set<string>();
  const atAdd = new Map<string, FusedResidualStep>();
  const atActivation = new Map<string, FusedResidualStep>();
  for (const se of network.nodes) {
    if (se.op !== 'se') continue;
    const add = only(se.id);
    // add(se, se) has no shortcut to fuse.
    if (add?.op !== 'add' || add.inputs.length !== 2 || add.inputs[0] === add.inputs[1]) continue;
    const shortcutId = add.inputs[0] === se.id ? add.inputs[1] : add.inputs[0];
    const next = only(add.id);
    const relu = next?.op === 'activation' && next.activation.kind === 'relu' ? next : undefined;
    const step: FusedResidualStep = {
      se,
      addId: add.id,
      shortcutId: shortcutId as string,
      ...(relu ? { activationId: relu.id } : {}),
      activation: relu ? 'relu' : 'identity',
    };
    deferred.add(se.id);
    atAdd.set(add.id, step);
    if (relu) atActivation.set(relu.id, step);
  }
  return { deferred, atAdd, atActivation };
}
