import type { Layout } from '@seblock/se-core';
import type { PlaneDims } from './pool.js';

/** y = x · e per channel (float64 product, rounded once on store). y may not be x. */
export function scale(
  x: Float32Array,
  e: Float64Array,
  y: Float32Array,
  dims: PlaneDims,
  layout: Layout,
): void {
  if (layout === 'NCHW') scaleNCHW(x, e, y, dims);
  else scaleNHWC(x, e, y, dims);
}

/** One factor per plane, eight elements per step (measured 5.3 → 4.4 ms on 8×256×56×56). */
function scaleNCHW(x: Float32Array, e: Float64Array, y: Float32Array, dims: PlaneDims): void {
  const { batch, channels: C, plane } = dims;
  let i = 0;
  for (let q = 0; q < batch * C; q++) {
    const k = e[q] as number;
    const end = i + plane;
    for (; i + 8 <= end; i += 8) {
      y[i] = (x[i] as number) * k;
      y[i + 1] = (x[i + 1] as number) * k;
      y[i + 2] = (x[i + 2] as number) * k;
      y[i + 3] = (x[i + 3] as number) * k;
      y[i + 4] = (x[i + 4] as number) * k;
      y[i + 5] = (x[i + 5] as number) * k;
      y[i + 6] = (x[i + 6] as number) * k;
      y[i + 7] = (x[i + 7] as number) * k;
    }
    for (; i < end; i++) y[i] = (x[i] as number) * k;
  }
}

/** A row of C factors per spatial position, walked with one running index (8.0 ms on 8×56×56×256). */
function scaleNHWC(x: Float32Array, e: Float64Array, y: Float32Array, dims: PlaneDims): void {
  const { batch, channels: C, plane } = dims;
  let i = 0;
  for (let n = 0; n < batch; n++) {
    const rowEnd = n * C + C;
    for (let p = 0; p < plane; p++) {
      let c = n * C;
      for (; c + 4 <= rowEnd; c += 4, i += 4) {
        y[i] = (x[i] as number) * (e[c] as number);
        y[i + 1] = (x[i + 1] as number) * (e[c + 1] as number);
        y[i + 2] = (x[i + 2] as number) * (e[c + 2] as number);
        y[i + 3] = (x[i + 3] as number) * (e[c + 3] as number);
      }
      for (; c < rowEnd; c++, i++) y[i] = (x[i] as number) * (e[c] as number);
    }
  }
}

/**
 * What the residual kernel adds after the scale: y = act(x · e + shortcut), act the identity
 * or ReLU (Math.max(0, v), TF.js' cpu Relu: NaN stays NaN, −0 becomes 0).
 */
export interface ScaleResidual {
  readonly shortcut: Float32Array;
  readonly relu: boolean;
}

/** y = act(x · e + shortcut), the product and sum in float64, rounded once on store. */
export function scaleAdd(
  x: Float32Array,
  e: Float64Array,
  residual: ScaleResidual,
  y: Float32Array,
  dims: PlaneDims,
  layout: Layout,
): void {
  const { shortcut, relu } = residual;
  if (layout === 'NCHW') scaleAddNCHW(x, e, shortcut, y, dims, relu);
  else scaleAddNHWC(x, e, shortcut, y, dims, relu);
}

// One loop per activation: V8 does not hoist the test out of the element loop.
function scaleAddNCHW(
  x: Float32Array,
  e: Float64Array,
  s: Float32Array,
  y: Float32Array,
  dims: PlaneDims,
  relu: boolean,
): void {
  const { batch, channels: C, plane } = dims;
  let i = 0;
  for (let q = 0; q < batch * C; q++) {
    const k = e[q] as number;
    const end = i + plane;
    if (relu) {
      for (; i < end; i++) {
        const v = (x[i] as number) * k + (s[i] as number);
        y[i] = v > 0 || Number.isNaN(v) ? v : 0;
      }
    } else {
      for (; i < end; i++) y[i] = (x[i] as number) * k + (s[i] as number);
    }
  }
}

function scaleAddNHWC(
  x: Float32Array,
  e: Float64Array,
  s: Float32Array,
  y: Float32Array,
  dims: PlaneDims,
  relu: boolean,
): void {
  const { batch, channels: C, plane } = dims;
  let i = 0;
  for (let n = 0; n < batch; n++) {
    const rowEnd = n * C + C;
    for (let p = 0; p < plane; p++) {
      if (relu) {
        for (let c = n * C; c < rowEnd; c++, i++) {
          const v = (x[i] as number) * (e[c] as number) + (s[i] as number);
          y[i] = v > 0 || Number.isNaN(v) ? v : 0;
        }
      } else {
        for (let c = n * C; c < rowEnd; c++, i++)
          y[i] = (x[i] as number) * (e[c] as number) + (s[i] as number);
      }
    }
  }
}
