import type { Rounding } from '../excitation/kind.js';
import type { SqueezeMode } from '../spec/primitives.js';

// The squeeze with PyTorch's semantics (SPEC.md, "NaN and overflow"): NaN
// anywhere in a channel's plane makes its mean and its max NaN (torch.mean and
// torch.amax propagate it), and a mean whose float32 sum overflows is ±Infinity
// (PyTorch sums float32 in float32).

/** Mean and max of the `plane` values `read(0 … plane-1)`, accumulated with `round`. */
export function poolPlane(
  read: (p: number) => number,
  plane: number,
  round: Rounding,
): { readonly mean: number; readonly max: number } {
  let sum = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (let p = 0; p < plane; p++) {
    const v = read(p);
    sum = round(sum + v);
    // `v > max` alone would skip NaN; once max is NaN no comparison replaces it.
    if (v > max || Number.isNaN(v)) max = v;
  }
  const sum32 = Math.fround(sum);
  // A float64 sum is far from overflowing; a float32 one would have: so does PyTorch's.
  const mean = Number.isFinite(sum32) || Number.isNaN(sum32) ? round(sum / plane) : sum32;
  return { mean, max };
}

/**
 * The descriptors the excitation sees, each [N·C]: `[avg]`, `[max]`,
 * `[0.5·avg + 0.5·max]` (avgmax), or `[avg, max]` (avg+max: two passes).
 */
export function squeezeDescriptors(
  mode: SqueezeMode,
  avg: Float64Array,
  max: Float64Array,
  round: Rounding,
): Float64Array[] {
  switch (mode) {
    case 'avg':
      return [avg];
    case 'max':
      return [max];
    case 'avgmax':
      return [avg.map((a, i) => round(round(0.5 * a) + round(0.5 * (max[i] as number))))];
    case 'avg+max':
      return [avg, max];
  }
}
