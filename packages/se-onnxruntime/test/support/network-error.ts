// How a network's logits are judged against PyTorch's float64 ones (Node and browser tests).
import { float32Ulp } from '@seblock/se-core';
import { expect } from 'vitest';

/** Max |y − y64| in float32 ULPs of max |y64| (the logits' scale). */
export function ulpsOfMaxLogit(y: ArrayLike<number>, y64: ArrayLike<number>): number {
  if (y.length !== y64.length) throw new Error(`${y.length} logits, expected ${y64.length}`);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < y.length; i++) {
    worst = Math.max(worst, Math.abs((y[i] as number) - (y64[i] as number)));
    scale = Math.max(scale, Math.abs(y64[i] as number));
  }
  // NaN anywhere must fail, never compare as "not greater".
  return Number.isNaN(worst) ? Infinity : worst / float32Ulp(scale);
}

/**
 * The fixtures' tolerance (se-core's networks NOTES): 4 float32 ULPs of max |y64| plus twice
 * PyTorch's own float32 error on the same case, in the same unit.
 */
export function networkTolerance(c: {
  readonly torchError: number;
  readonly maxAbsLogit: number;
}): number {
  return 4 + (2 * c.torchError) / float32Ulp(c.maxAbsLogit);
}

/**
 * Expects `y` within the case's tolerance of its float64 logits and reports the distance as
 * `<label>: e ULPs of max |logit| (allowed t)`.
 */
export function expectNetworkLogits(
  y: ArrayLike<number>,
  c: { readonly y64: ArrayLike<number>; readonly torchError: number; readonly maxAbsLogit: number },
  label: string,
  report: string[],
): void {
  const error = ulpsOfMaxLogit(y, c.y64);
  const tolerance = networkTolerance(c);
  report.push(
    `${label}: ${error.toFixed(2)} ULPs of max |logit| (allowed ${tolerance.toFixed(2)})`,
  );
  expect(error).toBeLessThanOrEqual(tolerance);
}
