import { float32Ulp } from '@seblock/se-core';
import { topK } from './ranking.js';

/** One backend's answer: its name and the logits it computed. */
export interface BackendLogits {
  readonly backend: string;
  readonly logits: Float32Array;
}

/** How two backends' answers compare. */
export interface PairAgreement {
  readonly a: string;
  readonly b: string;
  readonly sameTop1: boolean;
  /** Classes in both top-k lists (k of k when the sets are equal). */
  readonly overlap: number;
  /** The two top-k lists are equal, order included. */
  readonly sameOrder: boolean;
  readonly maxAbsDifference: number;
  /** The largest |logit| of either answer: the scale the difference is read against. */
  readonly maxAbsLogit: number;
  /** maxAbsDifference in float32 ULPs of maxAbsLogit. */
  readonly ulps: number;
}

/**
 * Compares two backends' logits: same top-1, top-k overlap and order, and the largest logit
 * difference, absolute and in float32 ULPs of the largest |logit| (the scale every network test
 * in this repository reads errors against).
 *
 * @example
 * ```ts
 * const pair = comparePair({ backend: 'cpu', logits: a }, { backend: 'wasm', logits: b }, 5);
 * console.log(pair.sameTop1, `${pair.overlap}/5`, pair.ulps.toFixed(1));
 * ```
 */
export function comparePair(a: BackendLogits, b: BackendLogits, k: number): PairAgreement {
  if (a.logits.length !== b.logits.length)
    throw new RangeError(
      `${a.backend} gave ${a.logits.length} logits and ${b.backend} ${b.logits.length}`,
    );
  const topA = topK(a.logits, k).map((c) => c.index);
  const topB = topK(b.logits, k).map((c) => c.index);
  let maxAbsDifference = 0;
  let maxAbsLogit = 0;
  for (let i = 0; i < a.logits.length; i++) {
    const x = a.logits[i] as number;
    const y = b.logits[i] as number;
    maxAbsDifference = Math.max(maxAbsDifference, Math.abs(x - y));
    maxAbsLogit = Math.max(maxAbsLogit, Math.abs(x), Math.abs(y));
  }
  return {
    a: a.backend,
    b: b.backend,
    sameTop1: topA[0] === topB[0],
    overlap: topA.filter((c) => topB.includes(c)).length,
    sameOrder: topA.every((c, i) => c === topB[i]),
    maxAbsDifference,
    maxAbsLogit,
    ulps: maxAbsDifference / float32Ulp(maxAbsLogit),
  };
}

/** Every pair of answers, in order (first with second, first with third, …). */
export function agreementPairs(answers: readonly BackendLogits[], k: number): PairAgreement[] {
  const pairs: PairAgreement[] = [];
  for (let i = 0; i < answers.length; i++)
    for (let j = i + 1; j < answers.length; j++)
      pairs.push(comparePair(answers[i] as BackendLogits, answers[j] as BackendLogits, k));
  return pairs;
}
