import { topK } from './ranking.js';

/**
 * How far apart two backends' logits may be, in float32 ULPs of the largest |logit|, from the
 * tolerance the network tests hold each backend to against PyTorch's float64 logits: 4 ULPs plus
 * twice PyTorch's own float32 error (`torchErrorUlps`, measured on the same network and weights).
 * Two backends each within that of the exact answer are within twice it of each other.
 *
 * @example
 * ```ts
 * pairwiseBoundUlps(8.5); // 2 · (4 + 2 · 8.5) = 42
 * ```
 */
export function pairwiseBoundUlps(torchErrorUlps: number): number {
  return 2 * (4 + 2 * torchErrorUlps);
}

/**
 * Where two top-k lists differ, whether float32 rounding can explain it: a class in one list and
 * not the other must score, in the other answer, within `bound` of that answer's k-th logit
 * (it sat on the boundary). Returns one sentence per class that cannot be explained (none: the
 * lists agree as well as the arithmetic allows).
 *
 * @example
 * ```ts
 * unexplainedTopKDifferences(a, b, 5, 1e-5); // [] when the top-5 sets are equal
 * ```
 */
export function unexplainedTopKDifferences(
  a: { readonly backend: string; readonly logits: ArrayLike<number> },
  b: { readonly backend: string; readonly logits: ArrayLike<number> },
  k: number,
  bound: number,
): string[] {
  const problems: string[] = [];
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const) {
    const inX = topK(x.logits, k);
    const inY = topK(y.logits, k);
    const kth = inY.at(-1)?.logit ?? Number.NEGATIVE_INFINITY;
    for (const c of inX) {
      if (inY.some((d) => d.index === c.index)) continue;
      const gap = kth - (y.logits[c.index] as number);
      if (gap > bound)
        problems.push(
          `class ${c.index} is in ${x.backend}'s top-${k} but ${gap.toExponential(2)} below ${y.backend}'s ${k}-th logit (allowed ${bound.toExponential(2)})`,
        );
    }
  }
  return problems;
}
