import type { FloatArray } from '../weights/dtypes.js';
import type { Rounding } from './kind.js';

/**
 * The float64 "rounding": none at all. Pass this very function (not another identity) as a
 * kind's `logits` rounding to get its fast float64 path (see {@link dense}).
 */
export const float64Rounding: Rounding = (value) => value;

/**
 * A fully connected layer, `out[r] = b[r] + Σ_k w[r·cols + k] · v[k]` for r < rows (`w`
 * row-major [rows, cols], PyTorch's Linear layout): the inner loop of the mlp, ese and cbam
 * kinds.
 *
 * With `round` = {@link float64Rounding} it sums in four float64 partial sums: the float64 reference
 * may add in any order (its error, about 1e-16 of the sum, is far below float32's), and one
 * running sum makes every add wait for the previous one, several times slower at C = 2048.
 * Any other `round` (Math.fround: the naive float32 evaluation of SPEC.md's accuracy model)
 * adds in index order, every product and sum through `round`.
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * dense(new Float32Array([1, 2, 3, 4]), undefined, [1, 1], 2, 2, out, float64Rounding); // out = [3, 7]
 * ```
 */
export function dense(
  w: FloatArray,
  b: FloatArray | undefined,
  v: ArrayLike<number>,
  rows: number,
  cols: number,
  out: Float64Array,
  round: Rounding,
): void {
  const exact = round === float64Rounding;
  const end4 = exact ? cols - (cols % 4) : 0;
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    if (exact) {
      // No callback in this loop: V8 compiles it alone, whatever else calls `dense`.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let k = 0;
      for (; k < end4; k += 4) {
        s0 += (w[row + k] as number) * (v[k] as number);
        s1 += (w[row + k + 1] as number) * (v[k + 1] as number);
        s2 += (w[row + k + 2] as number) * (v[k + 2] as number);
        s3 += (w[row + k + 3] as number) * (v[k + 3] as number);
      }
      for (; k < cols; k++) s0 += (w[row + k] as number) * (v[k] as number);
      out[r] = (b ? (b[r] as number) : 0) + (s0 + s1 + (s2 + s3));
    } else {
      let z = b ? round(b[r] as number) : 0;
      for (let k = 0; k < cols; k++)
        z = round(z + round(round(w[row + k] as number) * (v[k] as number)));
      out[r] = z;
    }
  }
}
