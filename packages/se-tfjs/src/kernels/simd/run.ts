import type { SEKernelAttrs } from '../attrs.js';
import {
  excitation,
  type FcProducts,
  type KernelWeights,
  maxPlanes,
  type PlaneDims,
} from '../fused-math.js';
import type { SESimdExports } from './module.js';

/** Byte addresses in the module's memory: x, y (may equal x), fc1, fc2 and a scratch block. */
export interface SimdAddresses {
  readonly x: number;
  readonly y: number;
  readonly fc1: number;
  readonly fc2: number;
  /** {@link simdScratchBytes} bytes, 8-byte aligned. */
  readonly scratch: number;
}

/** s f64 [N·C], hidden f64 [rd], logits f64 [C], e f32 [N·C]. */
export function simdScratchBytes(dims: PlaneDims, reduced: number): number {
  const count = dims.batch * dims.channels;
  return count * 12 + (reduced + dims.channels) * 8;
}

/**
 * The fused block with our SIMD module: pool, the two FC products and scale in wasm;
 * activation and gate in JS (se-core's functions). `heap` is the module memory's buffer;
 * nothing here allocates in that memory, so its views stay valid. `weights` supplies the
 * biases and the hidden width (fc1 and fc2 are read at their addresses).
 */
export function runSimd(
  simd: SESimdExports,
  heap: ArrayBuffer,
  at: SimdAddresses,
  weights: KernelWeights,
  attrs: SEKernelAttrs,
  dims: PlaneDims,
): void {
  const { batch, channels: C, plane } = dims;
  const rd = weights.reduced;
  const count = batch * C;
  const sAt = at.scratch;
  const hiddenAt = sAt + count * 8;
  const logitsAt = hiddenAt + rd * 8;
  const eAt = logitsAt + C * 8;
  const nchw = attrs.layout === 'NCHW';
  const s = new Float64Array(heap, sAt, count);
  if (attrs.squeeze !== 'max') {
    if (nchw) simd.sum_nchw(at.x, count, plane, sAt);
    else {
      s.fill(0);
      simd.sum_nhwc(at.x, batch, plane, C, sAt);
    }
    for (let i = 0; i < count; i++) s[i] = (s[i] as number) / plane;
  }
  if (attrs.squeeze !== 'avg') {
    const max = maxPlanes(new Float32Array(heap, at.x, count * plane), dims, attrs.layout);
    if (attrs.squeeze === 'max') s.set(max);
    else for (let i = 0; i < count; i++) s[i] = 0.5 * (s[i] as number) + 0.5 * (max[i] as number);
  }
  const hiddenView = new Float64Array(heap, hiddenAt, rd);
  const logitsView = new Float64Array(heap, logitsAt, C);
  // Canonical weights (fc1 [rd, C], fc2 [C, rd]) are row · vector products (mat_vec); TF.js
  // kernels ([in, out]) are vector · matrix (vec_mat, which accumulates into zeroed output).
  const product = (
    w: number,
    outputs: number,
    inputs: number,
    v: number,
    o: number,
    view: Float64Array,
  ) => {
    if (attrs.transposed) simd.mat_vec(w, outputs, inputs, v, o);
    else {
      view.fill(0);
      simd.vec_mat(w, inputs, outputs, v, o);
    }
  };
  const products: FcProducts = {
    fc1: (n, hidden) => {
      product(at.fc1, rd, C, sAt + n * C * 8, hiddenAt, hiddenView);
      hidden.set(hiddenView);
    },
    fc2: (hidden, logits) => {
      hiddenView.set(hidden);
      product(at.fc2, C, rd, hiddenAt, logitsAt, logitsView);
      logits.set(logitsView);
    },
  };
  // e rounded to float32 once; the module multiplies in float32 (one more rounding).
  new Float32Array(heap, eAt, count).set(excitation(s, dims, weights, attrs, products));
  if (nchw) simd.scale_nchw(at.x, eAt, at.y, count, plane);
  else simd.scale_nhwc(at.x, eAt, at.y, batch, plane, C);
}
