import type { GoldenCase } from '../golden/golden-case.js';
import { seReference } from '../reference/se-reference.js';
import type { SEBlockInput } from '../weights/types.js';
import { accuracyOf } from './compare.js';
import { seReferenceFloat32 } from './float32-reference.js';

/** The arithmetic a backend computes in. */
export type PrecisionClass = 'float32' | 'float16';

export interface PrecisionTolerance {
  readonly precision: PrecisionClass;
  /** Allowed error on a well-conditioned case, in float32 ULPs of max(|y|, |x|). */
  readonly baseUlps: number;
  /** Plus this many times the error of a naive float32 evaluation of the case (its conditioning). */
  readonly naiveFactor: number;
  readonly reason: string;
}

/** The one table of conformance tolerances, each with its reason. */
export const PRECISION_TOLERANCES: Readonly<Record<PrecisionClass, PrecisionTolerance>> = {
  float32: {
    precision: 'float32',
    baseUlps: 4,
    naiveFactor: 2,
    reason:
      'float32 kernels round in the mean, two dot products, the activation, the gate and the product; every backend ' +
      'we measured is within 1–2 ULPs on unit-scale data, 4 leaves room for summation order and vectorised exp ' +
      'without hiding a real bug (a wrong hard-sigmoid slope costs thousands). Ill-conditioned cases (x ~ 1e3, ' +
      'C = 2048, logits in the hundreds) also get twice what a naive float32 evaluation loses there.',
  },
  float16: {
    precision: 'float16',
    baseUlps: 4 * 2 ** 13,
    naiveFactor: 2 * 2 ** 13,
    reason:
      'WebGL devices that only render to half-float textures (floatPrecision() === 16): float16 has 10 mantissa bits, ' +
      '2^13 float32 ULPs per float16 ULP; the same bound, counted in half-precision steps.',
  },
};

export interface CaseTolerance {
  /** The bound on {@link AccuracyReport.worstUlp} for this case and precision. */
  readonly ulps: number;
  /** What the naive float32 evaluation loses on this case (its conditioning), in the same unit. */
  readonly naiveUlps: number;
  readonly precision: PrecisionTolerance;
}

const naiveCache = new WeakMap<object, number>();

/**
 * The tolerance for a case on a backend of the given precision:
 * base + factor × (error of a naive float32 evaluation of the case).
 * The conditioning is measured against se-core's own float64 reference, never
 * against the case's stored y: a wrong expected value must fail, not loosen
 * its own tolerance.
 *
 * @example
 * ```ts
 * const { ulps } = caseTolerance(goldenCase);            // float32 backends
 * expect(accuracyOf(y, goldenCase.y, goldenCase.x).worstUlp).toBeLessThanOrEqual(ulps);
 * ```
 */
export function caseTolerance(
  goldenCase: Pick<GoldenCase, 'x' | 'shape'> & { readonly block: SEBlockInput },
  precision: PrecisionClass = 'float32',
): CaseTolerance {
  let naiveUlps = naiveCache.get(goldenCase);
  if (naiveUlps === undefined) {
    const { block, x, shape } = goldenCase;
    const exact = seReference(block.spec, block.weights, x, shape);
    naiveUlps = accuracyOf(seReferenceFloat32(block, x, shape), exact, x).worstUlp;
    naiveCache.set(goldenCase, naiveUlps);
  }
  const table = PRECISION_TOLERANCES[precision];
  return { ulps: table.baseUlps + table.naiveFactor * naiveUlps, naiveUlps, precision: table };
}
