// One case in both layouts on the current backend, for this package's synthetic-case tests
// (op, fused, tfjs-node). The golden cases run on every backend in @seblock/se-conformance's
// one suite (packages/se-conformance/test/golden.test.ts), with seBlock's fused and composed
// paths in both layouts as named variants.
import { accuracyOf, caseTolerance, type GoldenCase, type Layout } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { seBlock } from '../../src/base.js';

export interface CaseResult {
  readonly name: string;
  readonly layout: Layout;
  /** ULPs of max(|y|, |x|). */
  readonly ulps: number;
  /** ULPs of y alone. */
  readonly strictUlps: number;
  readonly maxAbs: number;
  readonly tolerance: number;
  readonly naiveUlps: number;
  /** PyTorch's own float32 error on this case (golden metadata), if recorded. */
  readonly torchUlps: number | undefined;
  /** 4 ULPs + twice PyTorch's own float32 error (issue 16): the bound the fused kernels meet. */
  readonly torchTolerance: number | undefined;
}

/** 4 ULPs + 2 × PyTorch's own float32 error of the case, when the case records it. */
export function torchTolerance(testCase: GoldenCase): number | undefined {
  const torch = testCase.info.torchFloat32Ulps;
  return torch === undefined ? undefined : 4 + 2 * torch;
}

/** Runs one (NCHW) golden case in both layouts on the current backend (fused kernel unless `fused: false`). */
export async function runCase(
  testCase: GoldenCase,
  options: { readonly fused?: boolean } = {},
): Promise<CaseResult[]> {
  const { shape, block, x, y } = testCase;
  const [n, c, h, w] = shape;
  const { ulps: tolerance, naiveUlps } = caseTolerance(testCase);
  const out: CaseResult[] = [];
  for (const layout of ['NCHW', 'NHWC'] as const) {
    const result = tf.tidy(() => {
      const nchw = tf.tensor4d(x, [n, c, h, w]);
      const input = layout === 'NCHW' ? nchw : tf.transpose(nchw, [0, 2, 3, 1]);
      const output = seBlock(input as tf.Tensor4D, block, { layout, ...options });
      return layout === 'NCHW' ? output : tf.transpose(output, [0, 3, 1, 2]);
    });
    const actual = await result.data();
    result.dispose();
    const report = accuracyOf(actual, y, x);
    out.push({
      name: testCase.info.name,
      layout,
      ulps: report.worstUlp,
      strictUlps: report.worstStrictUlp,
      maxAbs: report.maxAbsError,
      tolerance,
      naiveUlps,
      torchUlps: testCase.info.torchFloat32Ulps,
      torchTolerance: torchTolerance(testCase),
    });
  }
  return out;
}

/** Cases a naive float32 evaluation gets within this many ULPs count as well-conditioned. */
export const WELL_CONDITIONED_NAIVE_ULPS = 6;

/** One line per backend: the worst ULPs and the case they occur in. */
export function summarise(backend: string, results: readonly CaseResult[], extra = ''): string {
  const worstOf = (list: readonly CaseResult[], key: (r: CaseResult) => number) =>
    list.reduce((a, b) => (key(b) > key(a) ? b : a));
  const worst = worstOf(results, (r) => r.ulps);
  const conditioned = results.filter((r) => r.naiveUlps <= WELL_CONDITIONED_NAIVE_ULPS);
  const worstConditioned = conditioned.length > 0 ? worstOf(conditioned, (r) => r.ulps) : undefined;
  const worstStrict = worstOf(results, (r) => r.strictUlps);
  const worstRatio = worstOf(results, (r) => r.ulps / r.tolerance);
  const withTorch = results.filter((r) => r.torchTolerance !== undefined);
  const worstTorch =
    withTorch.length > 0
      ? worstOf(withTorch, (r) => r.ulps / (r.torchTolerance as number))
      : undefined;
  return (
    `[se-tfjs conformance] ${backend}${extra}: worst ${worst.ulps.toFixed(2)} ULPs ` +
    `(${worst.name} ${worst.layout}; naive float32 ${worst.naiveUlps.toFixed(2)}, tolerance ${worst.tolerance.toFixed(2)}); ` +
    (worstConditioned
      ? `worst where naive float32 ≤ ${WELL_CONDITIONED_NAIVE_ULPS} ULPs: ${worstConditioned.ulps.toFixed(2)} (${worstConditioned.name} ${worstConditioned.layout}); `
      : '') +
    `closest to tolerance ${worstRatio.name} ${worstRatio.layout} ${worstRatio.ulps.toFixed(2)}/${worstRatio.tolerance.toFixed(2)}; ` +
    (worstTorch
      ? `closest to 4 + 2·torch ${worstTorch.name} ${worstTorch.layout} ${worstTorch.ulps.toFixed(2)}/${(worstTorch.torchTolerance as number).toFixed(2)}; `
      : '') +
    `worst strict ULPs of y ${worstStrict.strictUlps.toFixed(0)} (${worstStrict.name}); ` +
    `max |error| ${Math.max(...results.map((r) => r.maxAbs)).toExponential(2)}; ${results.length} runs`
  );
}
