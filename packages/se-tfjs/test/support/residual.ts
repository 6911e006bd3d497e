import { accuracyOf, caseTolerance, type GoldenCase } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { type SEResidualActivation, seResidualBlock } from '../../src/base.js';
import { normal, rng } from './random.js';

// Golden-like cases for the residual unit y = act(SE(x) + shortcut): a golden (or synthetic)
// SE case, a seeded shortcut at the scale of its x, and the expected output from the case's
// float64 y. Errors are float32 ULPs of max(|expected|, |x|, |shortcut|) per element: the
// block's unit (accuracyOf) with the shortcut's scale added, since the sum is rounded there.

export interface ResidualResult {
  readonly name: string;
  readonly layout: string;
  readonly ulps: number;
  readonly tolerance: number;
}

/** A shortcut for `testCase`: N(0, 1) times the RMS of x's finite values (at least 1). */
export function shortcutFor(testCase: GoldenCase, seed: number): Float32Array {
  const finite = Array.from(testCase.x).filter(Number.isFinite);
  const rms = Math.sqrt(finite.reduce((a, v) => a + v * v, 0) / Math.max(1, finite.length));
  return normal(rng(seed), testCase.x.length, Math.max(1, Math.min(rms, 1e30)));
}

/** act(y + s) in float64, NaN kept (Math.max(NaN, 0) is NaN). */
export function expectedResidual(
  y: ArrayLike<number>,
  s: Float32Array,
  activation: SEResidualActivation,
): Float64Array {
  return Float64Array.from(y, (v, i) => {
    const u = v + (s[i] as number);
    return activation === 'relu' ? Math.max(u, 0) : u;
  });
}

/** Runs the residual unit of one (NCHW) case in both layouts on the current backend. */
export async function runResidualCase(
  testCase: GoldenCase,
  shortcut: Float32Array,
  activation: SEResidualActivation,
  fused: boolean,
): Promise<ResidualResult[]> {
  const [n, c, h, w] = testCase.shape;
  const expected = expectedResidual(testCase.y, shortcut, activation);
  const scale = Float64Array.from(testCase.x, (v, i) =>
    Math.max(Math.abs(v), Math.abs(shortcut[i] as number)),
  );
  // One more rounding than the block: the addition.
  const tolerance = caseTolerance(testCase).ulps + 1;
  const out: ResidualResult[] = [];
  for (const layout of ['NCHW', 'NHWC'] as const) {
    const result = tf.tidy(() => {
      const toLayout = (values: Float32Array) => {
        const t = tf.tensor4d(values, [n, c, h, w]);
        return (layout === 'NCHW' ? t : tf.transpose(t, [0, 2, 3, 1])) as tf.Tensor4D;
      };
      const y = seResidualBlock(toLayout(testCase.x), toLayout(shortcut), testCase.block, {
        layout,
        activation,
        fused,
      });
      return layout === 'NCHW' ? y : tf.transpose(y, [0, 3, 1, 2]);
    });
    const actual = await result.data();
    result.dispose();
    const ulps = accuracyOf(actual, expected, scale).worstUlp;
    out.push({ name: testCase.info.name, layout, ulps, tolerance });
  }
  return out;
}

/** The worst result, as one line for the test output. */
export function summariseResidual(label: string, results: readonly ResidualResult[]): string {
  const worst = results.reduce((a, b) => (b.ulps > a.ulps ? b : a));
  const closest = results.reduce((a, b) => (b.ulps / b.tolerance > a.ulps / a.tolerance ? b : a));
  return (
    `[se-tfjs residual] ${label}: worst ${worst.ulps.toFixed(2)} ULPs (${worst.name} ${worst.layout}); ` +
    `closest to tolerance ${closest.name} ${closest.layout} ${closest.ulps.toFixed(2)}/${closest.tolerance.toFixed(2)}; ${results.length} runs`
  );
}
