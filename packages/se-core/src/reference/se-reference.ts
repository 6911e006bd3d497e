import { describeValue, SEShapeError } from '../errors/index.js';
import type { SESpec } from '../spec/types.js';
import { parseSESpec } from '../spec/validate.js';
import type { SEWeights } from '../weights/types.js';
import { validateSEWeights } from '../weights/validate.js';
import { ACTIVATION_FUNCTIONS, gateFunction } from './functions.js';
import { activationDims, type Layout } from './layout.js';

/** Every intermediate of the reference, for inspection (demos, debugging an adapter). */
export interface SEReferenceResult {
  /** The block output, same shape and layout as x. */
  readonly y: Float64Array;
  /** The squeezed descriptor s, [N, C]. */
  readonly squeeze: Float64Array;
  /** The channel weights e = gain * gate(...), [N, C]. */
  readonly excitation: Float64Array;
}

/**
 * The float64 oracle: computes an SE block exactly as SE-REFERENCE.md defines
 * it, in plain loops, written for clarity rather than speed.
 * Every adapter is judged against this function.
 */
export function seReferenceDetailed(
  specInput: SESpec,
  weights: SEWeights,
  x: ArrayLike<number>,
  shape: readonly number[],
  layout: Layout = 'NCHW',
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

  const rd = spec.reducedChannels;
  const act = ACTIVATION_FUNCTIONS[spec.activation];
  const gate = gateFunction(spec.gate);
  const squeeze = new Float64Array(batch * C);
  const excitation = new Float64Array(batch * C);
  const y = new Float64Array(x.length);

  for (let n = 0; n < batch; n++) {
    // 1. Squeeze: mean (and/or max) over H×W of each channel.
    for (let c = 0; c < C; c++) {
      let sum = 0;
      let max = Number.NEGATIVE_INFINITY;
      for (let p = 0; p < plane; p++) {
        const v = x[at(n, c, p)] as number;
        sum += v;
        if (v > max) max = v;
      }
      const mean = sum / plane;
      squeeze[n * C + c] =
        spec.squeeze === 'avg' ? mean : spec.squeeze === 'max' ? max : 0.5 * mean + 0.5 * max;
    }
    // 2. Excitation: gain * gate(W2 · act(W1 · s + b1) + b2).
    const hidden = new Float64Array(rd);
    for (let j = 0; j < rd; j++) {
      let z = spec.bias ? (weights.fc1Bias?.[j] as number) : 0;
      for (let c = 0; c < C; c++)
        z += (weights.fc1Weight[j * C + c] as number) * (squeeze[n * C + c] as number);
      hidden[j] = act(z);
    }
    for (let c = 0; c < C; c++) {
      let z = spec.bias ? (weights.fc2Bias?.[c] as number) : 0;
      for (let j = 0; j < rd; j++)
        z += (weights.fc2Weight[c * rd + j] as number) * (hidden[j] as number);
      excitation[n * C + c] = spec.gain * gate(z);
    }
    // 3. Scale: y = x * e, per channel.
    for (let c = 0; c < C; c++) {
      const e = excitation[n * C + c] as number;
      for (let p = 0; p < plane; p++) y[at(n, c, p)] = (x[at(n, c, p)] as number) * e;
    }
  }
  return { y, squeeze, excitation };
}

/**
 * The SE block output in float64 for x of `shape` in `layout` ('NCHW' default).
 *
 * @example
 * ```ts
 * const y = seReference(spec, weights, x, [1, 64, 7, 7]);            // NCHW
 * const yNhwc = seReference(spec, weights, xNhwc, [1, 7, 7, 64], 'NHWC');
 * ```
 */
export function seReference(
  spec: SESpec,
  weights: SEWeights,
  x: ArrayLike<number>,
  shape: readonly number[],
  layout: Layout = 'NCHW',
): Float64Array {
  return seReferenceDetailed(spec, weights, x, shape, layout).y;
}
