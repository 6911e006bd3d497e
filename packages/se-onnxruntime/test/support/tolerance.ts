// One place for the tolerances of this package's tests, with the reason.
import type { GoldenCase } from '@seblock/se-core';
import { seFloat32 } from './float32-reference.js';
import { ulpReport } from './ulp.js';

/**
 * Worst error allowed against se-core's float64 reference on well-conditioned data,
 * in float32 ULPs of max(|y|, |x|) (see ulp.ts). A float32 evaluation rounds in the
 * mean, two dot products, the activation, the gate and the final product; measured
 * worst cases on onnxruntime-node CPU are about 2 ULPs on unit-scale data
 * (SE-REFERENCE.md: 1-2 ULPs on every backend). 4 leaves room for summation order
 * and onnxruntime's vectorised exp/logistic without hiding a real bug (a wrong
 * hard-sigmoid constant costs thousands).
 */
export const ULP_TOLERANCE = 4;

/**
 * Some golden cases are ill-conditioned on purpose (x ~ 1e3 with logits in the
 * hundreds, C = 2048 dot products, gain 2): there even a naive float32 evaluation
 * (every operation rounded, sums in index order) is 5-16 ULPs from float64. A backend
 * passes a case when it is within ULP_TOLERANCE plus twice that naive float32 error.
 */
export function goldenTolerance(goldenCase: GoldenCase): {
  readonly tolerance: number;
  readonly naiveFloat32Ulp: number;
} {
  const naive = ulpReport(
    seFloat32(goldenCase.block, goldenCase.x, goldenCase.shape),
    goldenCase.y,
    goldenCase.x,
  ).worstUlp;
  return { tolerance: ULP_TOLERANCE + 2 * naive, naiveFloat32Ulp: naive };
}
