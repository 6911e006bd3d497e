import { accuracyOf, seReference } from '@seblock/se-core';
import { type BenchCase, blockFor } from './cases.js';

// Every timed path is also checked against se-core's float64 reference once, so a fast
// number can never come from a wrong result.

const references = new Map<string, Float64Array>();

/** Worst error of y (NCHW) in se-core's scaled ULPs. */
export function checkOutput(c: BenchCase, x: Float32Array, y: ArrayLike<number>): number {
  let expected = references.get(c.id);
  if (!expected) {
    const { spec, weights } = blockFor(c.spec);
    expected = seReference(spec, weights, x, c.shape, 'NCHW');
    references.set(c.id, expected);
  }
  return accuracyOf(y, expected, x).worstUlp;
}
