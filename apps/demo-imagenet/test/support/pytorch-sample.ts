// PyTorch's answer for the demos' default case (scripts/torch_sample_logits.py): the seeded
// SE-ResNet-50 on samples/sample.png prepared by torchvision. The Node and web demos' tests hold
// every backend to it, and to each other, with one rule, written here once.
import { readFileSync } from 'node:fs';
import { float32Ulp } from '@seblock/se-core';
import {
  agreementPairs,
  type BackendLogits,
  type PairAgreement,
  pairwiseBoundUlps,
  topK,
  unexplainedTopKDifferences,
} from '../../src/index.js';

interface SampleLogitsFile {
  readonly max_abs_logit: number;
  readonly torch_float32_error: number;
  readonly torch_float32_error_ulps: number;
  readonly top5: readonly number[];
  readonly y64: readonly number[];
}

export const PYTORCH_SAMPLE: SampleLogitsFile = JSON.parse(
  readFileSync(new URL('../fixtures/sample-logits.json', import.meta.url), 'utf8'),
);

/** What the agreement rule measured and what it found wrong (nothing, when all is well). */
export interface AgreementReport {
  /** Each backend's largest logit error against PyTorch's float64 logits, in ULPs of max |y64|. */
  readonly vsPyTorch: readonly { backend: string; ulps: number }[];
  /** Allowed against PyTorch: the network tests' 4 ULPs + 2 × PyTorch's own float32 error. */
  readonly toleranceUlps: number;
  readonly pairs: readonly PairAgreement[];
  /** Allowed between two backends: twice the above. */
  readonly pairwiseBoundUlps: number;
  /** PyTorch's gaps between consecutive top-6 logits, in ULPs of max |y64|: the margins a swap needs. */
  readonly marginsUlps: readonly number[];
  readonly problems: readonly string[];
}

/**
 * The demos' agreement rule, on the default case (the sample, the seeded checkpoint):
 * - each backend within the network tests' tolerance of PyTorch's float64 logits (the demos'
 *   preprocessing gives PyTorch's input tensor bit for bit, so this applies);
 * - every pair within twice that (each is within it of the exact answer);
 * - top-1 equal to PyTorch's; a top-5 that differs from PyTorch's or another backend's only by
 *   classes whose logits sit within the tolerance of the 5th (a tie float32 cannot break).
 */
export function checkAgainstPyTorch(answers: readonly BackendLogits[], k = 5): AgreementReport {
  const sample = PYTORCH_SAMPLE;
  const ulp = float32Ulp(sample.max_abs_logit);
  const tolerance = 4 * ulp + 2 * sample.torch_float32_error;
  const boundUlps = pairwiseBoundUlps(sample.torch_float32_error_ulps);
  const pytorch = { backend: 'PyTorch float64', logits: sample.y64 };
  const problems: string[] = [];
  const vsPyTorch = answers.map((a) => {
    let error = 0;
    for (let i = 0; i < sample.y64.length; i++)
      error = Math.max(error, Math.abs((a.logits[i] as number) - (sample.y64[i] as number)));
    if (error > tolerance)
      problems.push(
        `${a.backend}: ${(error / ulp).toFixed(2)} ULPs from PyTorch, allowed ${(tolerance / ulp).toFixed(2)}`,
      );
    if (topK(a.logits, 1)[0]?.index !== sample.top5[0])
      problems.push(
        `${a.backend}: top-1 ${topK(a.logits, 1)[0]?.index}, PyTorch's ${sample.top5[0]}`,
      );
    problems.push(...unexplainedTopKDifferences(a, pytorch, k, tolerance));
    return { backend: a.backend, ulps: error / ulp };
  });
  const pairs = agreementPairs(answers, k);
  for (const pair of pairs) {
    if (pair.ulps > boundUlps)
      problems.push(
        `${pair.a} ↔ ${pair.b}: ${pair.ulps.toFixed(2)} ULPs apart, allowed ${boundUlps.toFixed(2)}`,
      );
    const a = answers.find((x) => x.backend === pair.a) as BackendLogits;
    const b = answers.find((x) => x.backend === pair.b) as BackendLogits;
    problems.push(...unexplainedTopKDifferences(a, b, k, boundUlps * float32Ulp(pair.maxAbsLogit)));
  }
  const top = topK(sample.y64, k + 1);
  const marginsUlps = top.slice(1).map((c, i) => ((top[i]?.logit as number) - c.logit) / ulp);
  return {
    vsPyTorch,
    toleranceUlps: tolerance / ulp,
    pairs,
    pairwiseBoundUlps: boundUlps,
    marginsUlps,
    problems,
  };
}
