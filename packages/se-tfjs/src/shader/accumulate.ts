import type { ShaderDialect } from './dialect.js';

// Accurate float32 reductions for the GPU kernels. A plain float32 loop loses up to one
// rounding per addition: on SE's long sums (H·W pixels, C = 2048 channels in a dot product,
// |x| ≈ 1e3) that was 12–17 ULPs of the output on webgl and webgpu where the float64
// accumulating cpu kernel is at 0.5. Neumaier's compensated sum carries each addition's
// rounding error in a second float32 and adds it back at the end, so a sum of n terms is off
// by about one rounding of the result instead of n of them (Higham, "Accuracy and Stability
// of Numerical Algorithms", §4.3). Once the sum is ±Infinity or NaN the compensation is NaN
// and is dropped: an overflowing float32 sum stays ±Infinity, as PyTorch's does.

/** Declares the sum `name` (with its compensation `${name}C`) starting at `initial`. */
export function sumDeclare(name: string, d: ShaderDialect, initial = '0.0'): string {
  return `${d.variable(name, initial)} ${d.variable(`${name}C`, '0.0')}`;
}

/** Adds `term` to the sum `name` (a block: safe to use several times in one scope). */
export function sumAdd(name: string, term: string, d: ShaderDialect): string {
  const c = `${name}C`;
  return `{
    ${d.local('v_', term)}
    ${d.local('t_', `${name} + v_`)}
    ${c} += ${d.select(`abs(${name}) >= abs(v_)`, `(${name} - t_) + v_`, `(v_ - t_) + ${name}`)};
    ${name} = t_;
  }`;
}

/** The compensated value of the sum `name`. */
export function sumResult(name: string, d: ShaderDialect): string {
  return d.select(d.finite(name), `${name} + ${name}C`, name);
}

/** The larger of a and b, NaN if either is NaN (torch.amax propagates NaN; GPU max() need not). */
export function nanMax(a: string, b: string, d: ShaderDialect): string {
  return d.select(`isnan(${a}) || ${a} > ${b}`, a, b);
}

/** `value`, or z itself where z is NaN (GPU max/min/clamp may turn NaN into a bound). */
export function keepNaN(z: string, value: string, d: ShaderDialect): string {
  return d.select(`isnan(${z})`, z, value);
}
