import type { Layout, SESpec } from '@seblock/se-core';
import type { SEKernelResidual } from '../attrs.js';
import { descriptorsOf, poolsOf } from '../js/descriptors.js';
import { excitation } from '../js/excite.js';
import { maxPlanes, meanOf, type PlaneDims } from '../js/pool.js';
import type { SESimdExports } from './module.js';

/** Byte addresses in the module's memory: x, y, the shortcut of a residual, and a scratch block. */
export interface SimdAddresses {
  readonly x: number;
  readonly y: number;
  /** Where the shortcut is (a residual kernel's, shaped like x). */
  readonly shortcut?: number;
  /** {@link simdScratchBytes} bytes, 8-byte aligned. */
  readonly scratch: number;
}

/** Sums f64 [N·C], then e f32 [N·C]. */
export function simdScratchBytes(dims: PlaneDims): number {
  return dims.batch * dims.channels * 12;
}

/**
 * The fused block with our SIMD module: the sums (float64) and the scale (with a residual: the
 * scale, the shortcut's addition and the activation, in float32 as TF.js' own Add and Relu
 * would compute them after the block) in wasm; the max and the excitation (se-core's float64 logits, kernels/js/excite.ts) in JS. `heap` is the
 * module memory's buffer and `weights` views of it (canonical layout): nothing here allocates
 * in that memory, so every view stays valid.
 */
export function runSimd(
  simd: SESimdExports,
  heap: ArrayBuffer,
  at: SimdAddresses,
  spec: SESpec,
  weights: Readonly<Record<string, Float32Array>>,
  layout: Layout,
  dims: PlaneDims,
  residual: SEKernelResidual = 'none',
): void {
  const { batch, channels: C, plane } = dims;
  const count = batch * C;
  const sumsAt = at.scratch;
  const eAt = sumsAt + count * 8;
  const pools = poolsOf(spec.squeeze);
  let avg: Float64Array | undefined;
  if (pools.avg) {
    const sums = new Float64Array(heap, sumsAt, count);
    if (layout === 'NCHW') simd.sum_nchw(at.x, count, plane, sumsAt);
    else {
      sums.fill(0);
      simd.sum_nhwc(at.x, batch, plane, C, sumsAt);
    }
    avg = sums.map((sum) => meanOf(sum, plane));
  }
  const max = pools.max
    ? maxPlanes(new Float32Array(heap, at.x, count * plane), dims, layout)
    : undefined;
  const e = excitation(spec, weights, descriptorsOf(spec.squeeze, avg, max), dims);
  // e rounded to float32 once; the module multiplies in float32 (one more rounding).
  new Float32Array(heap, eAt, count).set(e);
  const s = at.shortcut as number;
  if (layout === 'NCHW') {
    if (residual === 'none') simd.scale_nchw(at.x, eAt, at.y, count, plane);
    else if (residual === 'relu') simd.scale_add_relu_nchw(at.x, eAt, s, at.y, count, plane);
    else simd.scale_add_nchw(at.x, eAt, s, at.y, count, plane);
  } else if (residual === 'none') simd.scale_nhwc(at.x, eAt, at.y, batch, plane, C);
  else if (residual === 'relu') simd.scale_add_relu_nhwc(at.x, eAt, s, at.y, batch, plane, C);
  else simd.scale_add_nhwc(at.x, eAt, s, at.y, batch, plane, C);
}
