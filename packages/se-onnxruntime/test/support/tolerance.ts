// One place for the tolerances of this package's tests, with the reason.

/**
 * Worst error allowed against se-core's float64 reference, in float32 ULPs of the
 * expected value. A float32 evaluation of the block rounds in the mean, two dot
 * products, the activation, the gate and the final product; measured worst cases on
 * onnxruntime-node CPU are about 2 ULPs on unit-scale data (SE-REFERENCE.md: 1-2 ULPs
 * on every backend). 4 leaves room for summation-order differences between execution
 * providers without hiding a real bug (a wrong constant costs thousands of ULPs).
 */
export const ULP_TOLERANCE = 4;
