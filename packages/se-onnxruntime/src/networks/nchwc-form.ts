import { type NetworkDefinition, type NetworkNode, networkCost } from '@seblock/se-core/networks';
import type { NetworkGraph } from './graph.js';

// The 'nchwc' scale form of a network (options.ts, NetworkScaleForm): what the builder needs to
// know about each node to write it, and the identity shortcut it adds before a residual Add.

/** Per node of a network built in the 'nchwc' form. */
export interface NchwcPlan {
  /** x's [H, W] at each SE node: its channel weights are expanded to it. */
  readonly seSpatial: ReadonlyMap<string, readonly [number, number]>;
  readonly ops: ReadonlyMap<string, NetworkNode['op']>;
  /** Channels of each node's output. */
  readonly channels: ReadonlyMap<string, number>;
}

/** The plan for `network` at a fixed image size (every node checked by checkNetwork already). */
export function planNchwc(network: NetworkDefinition, height: number, width: number): NchwcPlan {
  const seSpatial = new Map<string, readonly [number, number]>();
  const channels = new Map<string, number>();
  for (const node of networkCost(network, [height, width]).nodes) {
    const [c, h, w] = node.output;
    channels.set(node.id, c as number);
    if (node.op === 'se') seSpatial.set(node.id, [h as number, w as number]);
  }
  return { seSpatial, channels, ops: new Map(network.nodes.map((n) => [n.id, n.op])) };
}

// A Conv (its BatchNormalization folds into it) whose output only the Add reads takes the Add,
// and the ReLU after it, into itself; onnxruntime fuses nothing into an Add of two other tensors.
const FUSES_ADD: ReadonlySet<NetworkNode['op']> = new Set(['conv2d', 'batchNorm']);

/**
 * The inputs of a residual Add, with an identity shortcut that meets an SE block's output sent
 * through a depthwise 1×1 Conv of weight 1 and no bias. onnxruntime's NCHWc transformer fuses an
 * Add into a Conv whose output it reads once, and the ReLU after it too: one pass over the maps
 * instead of an Add and a ReLU. The Conv multiplies by exactly 1 and adds nothing else, so the
 * sum is the Add's, NaN and infinities included (a −0 shortcut may come out +0).
 */
export function nchwcAddInputs(
  graph: NetworkGraph,
  plan: NchwcPlan,
  node: Extract<NetworkNode, { op: 'add' }>,
  inputs: readonly string[],
): string[] {
  const [a, b] = node.inputs.map((id) => plan.ops.get(id));
  const shortcut =
    a === 'se' && b && !FUSES_ADD.has(b) ? 1 : b === 'se' && a && !FUSES_ADD.has(a) ? 0 : -1;
  if (shortcut < 0) return [...inputs];
  const channels = plan.channels.get(node.inputs[shortcut] as string) as number;
  const weight = graph.parameter(
    graph.names.fresh(`${node.id}/identity.weight`),
    [channels, 1, 1, 1],
    new Float32Array(channels).fill(1),
  );
  const identity = graph.op(`${node.id}/identity`, 'Conv', [inputs[shortcut] as string, weight], {
    kernel_shape: [1, 1],
    group: channels,
  });
  return inputs.map((t, i) => (i === shortcut ? identity : t));
}
