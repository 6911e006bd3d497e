import { describeValue, SEShapeError } from '../errors/index.js';
import type { Rounding } from '../excitation/kind.js';
import { kindOfSpec } from '../excitation/registry.js';
import type { SESpec, SESpecInput } from '../spec/types.js';
import { parseSESpec } from '../spec/validate.js';
import type { SEWeights } from '../weights/types.js';
import { validateSEWeights } from '../weights/validate.js';
import { gateFunction } from './functions.js';
import { activationDims, type Layout } from './layout.js';
import { poolPlane, squeezeDescriptors } from './squeeze.js';

/** Every intermediate of an SE block evaluation, for inspection (demos, debugging an adapter). */
export interface SEReferenceResult {
  /** The block output, same shape and layout as x. */
  readonly y: Float64Array;
  /** Mean over H×W of each channel, [N, C] (NaN and overflow as in PyTorch). */
  readonly avg: Float64Array;
  /** Max over H×W of each channel, [N, C] (NaN propagates). */
  readonly max: Float64Array;
  /** What the excitation receives, each [N, C]: one vector, two for `avg+max`. */
  readonly descriptors: readonly Float64Array[];
  /** The excitation logits summed over the descriptors, [N, C]. */
  readonly logits: Float64Array;
  /** The channel weights e = gain · gate(logits), [N, C]. */
  readonly excitation: Float64Array;
}

/**
 * Evaluates the block (SPEC.md, "The block") with every operation passed
 * through `round`: identity for the float64 reference, Math.fround for the
 * naive float32 evaluation. Validates spec, weights and x first.
 */
export function evaluateSE(
  specInput: SESpec | SESpecInput,
  weights: SEWeights,
  x: ArrayLike<number>,
  shape: readonly number[],
  layout: Layout,
  round: Rounding,
): SEReferenceResult {
  const spec = parseSESpec(specInput);
  validateSEWeights(spec, weights);
  const { batch, channels: C, height, width } = activationDims(shape, layout, spec.channels);
  const plane = height * width;
  if (x.length !== batch * C * plane) {
    throw new SEShapeError(
      'x',
      `${batch * C * plane} values for shape [${shape.join(', ')}]`,
      `${x.length} values (${describeValue(x)})`,
    );
  }
  // Element (n, c, p) lives here in either layout; p = h * W + w.
  const at =
    layout === 'NCHW'
      ? (n: number, c: number, p: number) => (n * C + c) * plane + p
      : (n: number, c: number, p: number) => (n * plane + p) * C + c;

  const avg = new Float64Array(batch * C);
  const max = new Float64Array(batch * C);
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < C; c++) {
      const pooled = poolPlane((p) => round(x[at(n, c, p)] as number), plane, round);
      avg[n * C + c] = pooled.mean;
      max[n * C + c] = pooled.max;
    }
  }
  const descriptors = squeezeDescriptors(spec.squeeze, avg, max, round);

  const kind = kindOfSpec(spec);
  const gate = gateFunction(spec.gate, round);
  const logits = new Float64Array(batch * C);
  const excitation = new Float64Array(batch * C);
  const out = new Float64Array(C);
  const y = new Float64Array(x.length);
  for (let n = 0; n < batch; n++) {
    const total = logits.subarray(n * C, (n + 1) * C);
    descriptors.forEach((d, i) => {
      kind.logits(spec.excitation, weights, d.subarray(n * C, (n + 1) * C), C, out, round);
      // The kind maps one descriptor; logits of several (avg+max) add before the gate.
      for (let c = 0; c < C; c++)
        total[c] = i === 0 ? (out[c] as number) : round((total[c] as number) + (out[c] as number));
    });
    for (let c = 0; c < C; c++) {
      const e = round(gate(total[c] as number) * spec.gain);
      excitation[n * C + c] = e;
      for (let p = 0; p < plane; p++) {
        const i = at(n, c, p);
        y[i] = round(round(x[i] as number) * e);
      }
    }
  }
  return { y, avg, max, descriptors, logits, excitation };
}
