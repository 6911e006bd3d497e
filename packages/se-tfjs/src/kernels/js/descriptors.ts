import type { SqueezeMode } from '@seblock/se-core';

/**
 * The descriptors the excitation sees, each [N·C] in float64, from the pooled planes (only
 * those the mode needs are given): `[avg]`, `[max]`, `[0.5·avg + 0.5·max]` (avgmax) or
 * `[avg, max]` (avg+max).
 */
export function descriptorsOf(
  mode: SqueezeMode,
  avg: Float64Array | undefined,
  max: Float64Array | undefined,
): Float64Array[] {
  const a = avg as Float64Array;
  const m = max as Float64Array;
  switch (mode) {
    case 'avg':
      return [a];
    case 'max':
      return [m];
    case 'avgmax':
      return [a.map((v, i) => 0.5 * v + 0.5 * (m[i] as number))];
    case 'avg+max':
      return [a, m];
  }
}

/** Which pools a squeeze mode needs. */
export function poolsOf(mode: SqueezeMode): { readonly avg: boolean; readonly max: boolean } {
  return { avg: mode !== 'max', max: mode !== 'avg' };
}
