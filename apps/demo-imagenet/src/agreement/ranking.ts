/** One class of a ranking: its index, logit and softmax probability. */
export interface RankedClass {
  readonly index: number;
  readonly logit: number;
  readonly probability: number;
}

/** Softmax in float64 (shifted by the largest logit), for display. */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] as number);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp((logits[i] as number) - max);
    sum += out[i] as number;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / sum;
  return out;
}

/**
 * The k highest-scoring classes, best first (ties: the lower index first, as torch.topk on CPU).
 *
 * @example
 * ```ts
 * topK(Float32Array.of(0.1, 2, -1, 0.5), 2).map((c) => c.index); // [1, 3]
 * ```
 */
export function topK(logits: ArrayLike<number>, k: number): RankedClass[] {
  const probabilities = softmax(logits);
  const order = Array.from({ length: logits.length }, (_, i) => i).sort(
    (i, j) => (logits[j] as number) - (logits[i] as number) || i - j,
  );
  return order.slice(0, k).map((index) => ({
    index,
    logit: logits[index] as number,
    probability: probabilities[index] as number,
  }));
}
