import type { Layout, SESpec } from '@seblock/se-core';
import { descriptorsOf, poolsOf } from './descriptors.js';
import { excitation } from './excite.js';
import { maxPlanes, meanPlanes, planeDims } from './pool.js';
import { type ScaleResidual, scale, scaleAdd } from './scale.js';

/**
 * The whole block on typed arrays (the cpu kernel, and the wasm kernel without SIMD): one
 * pass over x per pool, the excitation in float64, one pass to scale (and, with `residual`,
 * add the shortcut and apply the activation in that same pass). y must be a separate array of
 * x's length; weights are canonical (kernels/inputs.ts).
 */
export function fusedSE(
  x: Float32Array,
  y: Float32Array,
  shape: readonly number[],
  spec: SESpec,
  weights: Readonly<Record<string, Float32Array>>,
  layout: Layout,
  residual?: ScaleResidual,
): void {
  const dims = planeDims(shape, layout);
  const pools = poolsOf(spec.squeeze);
  const avg = pools.avg ? meanPlanes(x, dims, layout) : undefined;
  const max = pools.max ? maxPlanes(x, dims, layout) : undefined;
  const e = excitation(spec, weights, descriptorsOf(spec.squeeze, avg, max), dims);
  if (residual) scaleAdd(x, e, residual, y, dims, layout);
  else scale(x, e, y, dims, layout);
}
