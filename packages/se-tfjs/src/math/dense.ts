import * as tf from '@tensorflow/tfjs-core';

// tfjs-backend-webgpu 4.22 (and the newest source of it we could read) runs a 2-D product
// [M, K]·[K, N] with MatMulSplitKProgram when K ≥ 2000 and the output has few 32×32 tiles (8 by
// default: M = 2…64 rows for N = 128). With K and N multiples of 4 that program reads B as vec4,
// and it does so even when transposeB is true (MatMulPackedProgram turns vec4 off then; split-K
// does not): for B = [N, K] it takes four consecutive K values of one row of B where it wants one
// K value of four rows, so y[m][4q + j] = Σ_k a[m][k] · b[4q][4⌊k/4⌋ + j] (measured to float32
// rounding). The SE block meets it at ResNet stage 4 (8×2048×7×7: fc1 is [8, 2048]·[128, 2048]ᵀ)
// and in backward passes (dL/dhidden = dL/dlogits · W2 is [8, 2048]·[128, 2048]ᵀ in the kernel
// layout). The same program is right with an untransposed B, so on webgpu the transpose is made
// explicit: one small extra kernel per product. Other backends keep transposeB.
// test/browser/webgpu-split-k.test.ts fails when an upgrade fixes the program, so this can go.

/** Whether the active backend needs the explicit transpose (see above). */
function explicitTranspose(): boolean {
  return tf.getBackend() === 'webgpu';
}

/** `a · bᵀ` (transposeB) or `a · b`, never asking webgpu for a transposed B. */
export function matMulExplicitB(a: tf.Tensor, b: tf.Tensor, transposeB: boolean): tf.Tensor2D {
  return transposeB && explicitTranspose()
    ? tf.matMul(a, tf.transpose(b))
    : tf.matMul(a, b, false, transposeB);
}

/**
 * The gradient of `x · wᵀ` (transposed) or `x · w` with respect to w, given dy: `dyᵀ · x` or
 * `xᵀ · dy` (transposeA only, which the split-K program reads right).
 */
export function weightGradient(x: tf.Tensor, dy: tf.Tensor, transposed: boolean): tf.Tensor2D {
  return transposed ? tf.matMul(dy, x, true, false) : tf.matMul(x, dy, true, false);
}

/**
 * {@link matMulExplicitB} for the forward pass: differentiable, and on webgpu its gradient products
 * avoid a transposed B too (TF.js' own gradient of `a · b` is `dy · bᵀ`, with transposeB).
 */
export function denseProduct(a: tf.Tensor2D, b: tf.Tensor2D, transposeB: boolean): tf.Tensor2D {
  if (!explicitTranspose()) return tf.matMul(a, b, false, transposeB);
  const product = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([x, w]);
    return {
      value: matMulExplicitB(x, w, transposeB),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xSaved, wSaved] = saved as [tf.Tensor2D, tf.Tensor2D];
        const g = dy as tf.Tensor2D;
        // y = x · wᵀ: dx = dy · w;  y = x · w: dx = dy · wᵀ.
        return [matMulExplicitB(g, wSaved, !transposeB), weightGradient(xSaved, g, transposeB)];
      },
    };
  });
  return product(a, b) as tf.Tensor2D;
}
