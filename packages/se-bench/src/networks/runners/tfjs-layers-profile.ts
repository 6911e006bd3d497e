import type { NetworkDefinition } from '@seblock/se-core/networks';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ProfileEntry } from '../types.js';

// TF.js has no per-layer profiler, and tf.profile names kernels, not layers. So the model is
// run layer by layer in the network's own order (every layer of a network model is named by
// its IR node id), each layer's apply() timed on its own: on the cpu and wasm backends kernels
// run synchronously, so the wall clock around apply() is the layer's time.

/**
 * `runs` timed passes of the model, layer by layer, on NCHW `x` (the model must be warm: the
 * suite has run it before).
 * Entries are per layer (op = the layer's class; SqueezeExcite runs se-tfjs' fused kernel where
 * the backend has one) plus the input's transpose to NHWC; ms per forward.
 */
export function profileLayers(
  model: LayersModel,
  network: NetworkDefinition,
  x: tf.Tensor4D,
  runs: number,
): { wallMs: number; entries: ProfileEntry[] } {
  const lastUse = new Map<string, number>();
  network.nodes.forEach((node, i) => {
    for (const id of node.inputs) lastUse.set(id, i);
  });
  const sums = new Map<string, ProfileEntry & { ms: number }>();
  const record = (node: string, op: string, ms: number) => {
    const sum = sums.get(node) ?? { node, op, ms: 0 };
    sum.ms += ms;
    sums.set(node, sum);
  };
  let wall = 0;
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    const values = new Map<string, tf.Tensor>();
    // The model's NCHW input goes through one transpose to NHWC, as its own input layer does.
    values.set(network.nodes[0]?.id as string, tf.transpose(x, [0, 2, 3, 1]));
    record('input', 'Transpose', performance.now() - start);
    network.nodes.forEach((node, i) => {
      if (i === 0) return;
      const layer = model.getLayer(node.id);
      const inputs = node.inputs.map((id) => values.get(id) as tf.Tensor);
      const t0 = performance.now();
      const y = layer.apply(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs) as tf.Tensor;
      record(node.id, layer.getClassName(), performance.now() - t0);
      values.set(node.id, y);
      for (const id of node.inputs) {
        if (lastUse.get(id) === i) {
          values.get(id)?.dispose();
          values.delete(id);
        }
      }
    });
    for (const t of values.values()) {
      t.dataSync();
      t.dispose();
    }
    wall += performance.now() - start;
  }
  return {
    wallMs: wall / runs,
    entries: [...sums.values()].map((e) => ({ ...e, ms: e.ms / runs })),
  };
}
