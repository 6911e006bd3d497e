import type { NetworkDefinition } from '@seblock/se-core/networks';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { PAIR_MEMBERS, type PairMember, type ProfileEntry } from '../types.js';

// TF.js has no per-layer profiler, and tf.profile names kernels, not layers. So the model is
// run layer by layer in the network's own order (every layer of a network model is named by
// its IR node id), each layer's apply() timed on its own: on the cpu and wasm backends kernels
// run synchronously, so the wall clock around apply() is the layer's time.

/** One forward, layer by layer, on NCHW `x`: the time of every layer (op = its class). */
function onePass(
  model: LayersModel,
  network: NetworkDefinition,
  x: tf.Tensor4D,
): { wallMs: number; entries: ProfileEntry[]; logits: Float32Array } {
  const lastUse = new Map<string, number>();
  network.nodes.forEach((node, i) => {
    for (const id of node.inputs) lastUse.set(id, i);
  });
  const entries: ProfileEntry[] = [];
  const start = performance.now();
  const values = new Map<string, tf.Tensor>();
  // The model's NCHW input goes through one transpose to NHWC, as its own input layer does.
  values.set(network.nodes[0]?.id as string, tf.transpose(x, [0, 2, 3, 1]));
  entries.push({ node: 'input', op: 'Transpose', ms: performance.now() - start });
  network.nodes.forEach((node, i) => {
    if (i === 0) return;
    const layer = model.getLayer(node.id);
    const inputs = node.inputs.map((id) => values.get(id) as tf.Tensor);
    const t0 = performance.now();
    const y = layer.apply(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs) as tf.Tensor;
    entries.push({ node: node.id, op: layer.getClassName(), ms: performance.now() - t0 });
    values.set(node.id, y);
    for (const id of node.inputs) {
      if (lastUse.get(id) === i) {
        values.get(id)?.dispose();
        values.delete(id);
      }
    }
  });
  const output = values.get(network.output) as tf.Tensor;
  const logits = output.dataSync() as Float32Array;
  for (const t of values.values()) t.dispose();
  return { wallMs: performance.now() - start, entries, logits };
}

/**
 * `runs` layer-by-layer forwards of each network on NCHW `x`, alternating which goes first as
 * the timed rounds do (the models must be warm: the suite has run them). Entries are per layer
 * plus the input's transpose to NHWC, ms per forward; SqueezeExcite runs se-tfjs' fused kernel
 * where the backend has one. The last pass's logits come back too: this is another way through
 * the model than predict(), so its result is checked as well.
 */
export function profileLayerPair(
  models: Readonly<Record<PairMember, LayersModel>>,
  networks: Readonly<Record<PairMember, NetworkDefinition>>,
  x: tf.Tensor4D,
  runs: number,
): Record<PairMember, { wallMs: number; entries: ProfileEntry[]; logits: Float32Array }> {
  const sums = Object.fromEntries(
    PAIR_MEMBERS.map((m) => [
      m,
      { wallMs: 0, entries: new Map<string, ProfileEntry>(), logits: new Float32Array() },
    ]),
  ) as Record<
    PairMember,
    { wallMs: number; entries: Map<string, ProfileEntry>; logits: Float32Array }
  >;
  for (let run = 0; run < runs; run++) {
    for (const member of run % 2 === 0 ? PAIR_MEMBERS : [...PAIR_MEMBERS].reverse()) {
      const pass = onePass(models[member], networks[member], x);
      const sum = sums[member];
      sum.wallMs += pass.wallMs;
      sum.logits = pass.logits;
      for (const e of pass.entries) {
        const seen = sum.entries.get(e.node);
        sum.entries.set(e.node, { ...e, ms: (seen?.ms ?? 0) + e.ms });
      }
    }
  }
  const mean = (member: PairMember) => ({
    wallMs: sums[member].wallMs / runs,
    entries: [...sums[member].entries.values()].map((e) => ({ ...e, ms: e.ms / runs })),
    logits: sums[member].logits,
  });
  return { plain: mean('plain'), se: mean('se') };
}
