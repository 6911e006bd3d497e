import type { Layout, SqueezeMode } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';

// The squeeze of the composed ops (SPEC.md, "Squeeze"): the descriptors stacked as rows,
// [D·N, C], so one excitation op maps all of them (D = 2 for avg+max: the N avg rows, then
// the N max rows); logits are summed per sample before the gate.

/** The descriptor rows, and the pools they came from (for the backward pass). */
export interface SqueezeParts {
  /** [D·N, C]. */
  readonly rows: tf.Tensor2D;
  /** Descriptors per sample: 2 for avg+max, else 1. */
  readonly depth: number;
  readonly avg: tf.Tensor2D | undefined;
  readonly max: tf.Tensor2D | undefined;
}

/** Spatial axes and size of x in `layout`. */
export function planeOf(x: tf.Tensor4D, layout: Layout): { axes: number[]; plane: number } {
  return layout === 'NHWC'
    ? { axes: [1, 2], plane: x.shape[1] * x.shape[2] }
    : { axes: [2, 3], plane: x.shape[2] * x.shape[3] };
}

// tfjs-backend-webgl 4.22 starts its Max reduction at -1/1e-20 (reduce_gpu.js), so a plane
// whose values are all below -1e20 gets -1e20 as its max. Values that large also have their
// max exactly after scaling by 2^-64 (a power of two: no rounding, and no underflow above
// 1e19), which the reduction then never clamps; smaller maxima are exact the plain way.
const WEBGL_MAX_FLOOR = -1e19;
const SCALE_DOWN = 2 ** -64;

/** Max over the spatial axes, NaN propagating, right on every backend. */
function planeMax(x: tf.Tensor4D, axes: number[]): tf.Tensor2D {
  if (tf.getBackend() !== 'webgl') return tf.max(x, axes) as tf.Tensor2D;
  // A custom gradient (TF.js' Max convention: every element equal to the max) keeps the
  // workaround's comparison off the tape, where it would need a gradient of its own.
  const webglMax = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
    const plain = tf.max(input, axes) as tf.Tensor2D;
    const scaled = tf.mul(tf.max(tf.mul(input, SCALE_DOWN), axes), 1 / SCALE_DOWN);
    const value = tf.where(tf.greater(plain, WEBGL_MAX_FLOOR), plain, scaled) as tf.Tensor2D;
    save([input, value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xSaved, maxSaved] = saved as [tf.Tensor4D, tf.Tensor2D];
        const kept = axes.reduce(
          (shape, axis) => {
            shape.splice(axis, 0, 1);
            return shape;
          },
          [...maxSaved.shape] as number[],
        );
        const atMax = tf.cast(tf.equal(xSaved, tf.reshape(maxSaved, kept)), 'float32');
        return tf.mul(tf.reshape(dy as tf.Tensor, kept), atMax);
      },
    };
  });
  return webglMax(x) as tf.Tensor2D;
}

/** A per-(n, c) tensor shaped to broadcast against x. */
export function perChannel(t: tf.Tensor, x: tf.Tensor4D, layout: Layout): tf.Tensor4D {
  const [n, c] = layout === 'NHWC' ? [x.shape[0], x.shape[3]] : [x.shape[0], x.shape[1]];
  return tf.reshape(t, layout === 'NHWC' ? [n, 1, 1, c] : [n, c, 1, 1]);
}

export function squeeze(x: tf.Tensor4D, mode: SqueezeMode, layout: Layout): SqueezeParts {
  const { axes, plane } = planeOf(x, layout);
  // sum / (H·W) rather than tf.mean: the cpu and wasm Mean kernels divide every element first
  // (one extra rounding each, and an extra pass over x). A float32 sum that overflows is
  // ±Infinity, which is PyTorch's mean then too.
  const avg = mode === 'max' ? undefined : (tf.div(tf.sum(x, axes), plane) as tf.Tensor2D);
  const max = mode === 'avg' ? undefined : planeMax(x, axes);
  if (mode === 'avg+max') {
    return { rows: tf.concat([avg as tf.Tensor2D, max as tf.Tensor2D], 0), depth: 2, avg, max };
  }
  const rows =
    mode === 'avgmax'
      ? // timm add_maxpool: 0.5·avg + 0.5·max (halving is exact).
        tf.add<tf.Tensor2D>(tf.mul(avg as tf.Tensor2D, 0.5), tf.mul(max as tf.Tensor2D, 0.5))
      : ((avg ?? max) as tf.Tensor2D);
  return { rows, depth: 1, avg, max };
}

/** Σ over the D descriptors of each sample: [D·N, C] → [N, C]. */
export function sumDescriptors(rows: tf.Tensor2D, depth: number): tf.Tensor2D {
  if (depth === 1) return rows;
  const n = rows.shape[0] / depth;
  let sum: tf.Tensor2D = tf.slice(rows, [0, 0], [n, -1]);
  for (let d = 1; d < depth; d++) sum = tf.add(sum, tf.slice(rows, [d * n, 0], [n, -1]));
  return sum;
}

/**
 * dL/dx through the squeeze, given dL/d rows. The max passes its gradient to every element
 * equal to it (TF.js' convention for ties).
 */
export function squeezeGradient(
  x: tf.Tensor4D,
  parts: SqueezeParts,
  gRows: tf.Tensor2D,
  mode: SqueezeMode,
  layout: Layout,
): tf.Tensor4D {
  const { plane } = planeOf(x, layout);
  const n = x.shape[0];
  let gAvg: tf.Tensor2D | undefined;
  let gMax: tf.Tensor2D | undefined;
  if (mode === 'avg+max') {
    gAvg = tf.slice(gRows, [0, 0], [n, -1]);
    gMax = tf.slice(gRows, [n, 0], [n, -1]);
  } else if (mode === 'avgmax') {
    gAvg = tf.mul<tf.Tensor2D>(gRows, 0.5);
    gMax = gAvg;
  } else if (mode === 'avg') gAvg = gRows;
  else gMax = gRows;
  let gX: tf.Tensor4D | undefined;
  if (gAvg) gX = tf.broadcastTo(perChannel(tf.div(gAvg, plane), x, layout), x.shape);
  if (gMax && parts.max) {
    const atMax = tf.cast(tf.equal(x, perChannel(parts.max, x, layout)), 'float32');
    const g = tf.mul(perChannel(gMax, x, layout), atMax) as tf.Tensor4D;
    gX = gX ? tf.add<tf.Tensor4D>(gX, g) : g;
  }
  return gX as tf.Tensor4D;
}
