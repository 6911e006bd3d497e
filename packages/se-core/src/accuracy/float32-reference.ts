import { describeShape, SEShapeError } from '../errors/index.js';
import { erf } from '../reference/erf.js';
import type { Activation } from '../spec/types.js';
import type { SEBlock } from '../weights/types.js';

// The SE block evaluated the straightforward way in float32: every operation
// rounded (Math.fround), sums in index order, formulas exactly as the spec
// writes them. Not an oracle: its distance from the float64 reference measures
// how ill-conditioned a case is, i.e. what any float32 implementation may lose.

const r = Math.fround;
const sigmoid32 = (z: number) => r(1 / r(1 + r(Math.exp(-z))));

function activation32(name: Activation, z: number): number {
  switch (name) {
    case 'relu':
      return Math.max(z, 0);
    case 'relu6':
      return Math.min(Math.max(z, 0), 6);
    case 'silu':
      return r(z * sigmoid32(z));
    case 'gelu':
      return r(r(0.5 * z) * r(1 + r(erf(r(z * r(Math.SQRT1_2))))));
    case 'hardswish':
      return r(r(z * Math.min(Math.max(r(z + 3), 0), 6)) / 6);
  }
}

/**
 * y of an SE block on NCHW x, computed naively in float32.
 *
 * @example
 * ```ts
 * const naive = seReferenceFloat32(block, x, [1, 64, 7, 7]);
 * const conditioning = accuracyOf(naive, seReference(block.spec, block.weights, x, [1, 64, 7, 7]), x).worstUlp;
 * ```
 */
export function seReferenceFloat32(
  block: SEBlock,
  x: ArrayLike<number>,
  shape: readonly number[],
): Float32Array {
  const { spec, weights } = block;
  const [n, c, h, w] = shape as [number, number, number, number];
  if (shape.length !== 4 || c !== spec.channels || x.length !== n * c * h * w) {
    throw new SEShapeError(
      'x.shape',
      `NCHW [N, ${spec.channels}, H, W] holding ${x.length} values`,
      describeShape(shape),
    );
  }
  const plane = h * w;
  const rd = spec.reducedChannels;
  const y = new Float32Array(x.length);
  const s = new Float32Array(c);
  const hidden = new Float32Array(rd);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      let sum = 0;
      let max = Number.NEGATIVE_INFINITY;
      for (let p = 0; p < plane; p++) {
        const v = x[(b * c + ch) * plane + p] as number;
        sum = r(sum + v);
        if (v > max) max = v;
      }
      const mean = r(sum / plane);
      s[ch] =
        spec.squeeze === 'avg'
          ? mean
          : spec.squeeze === 'max'
            ? max
            : r(r(0.5 * mean) + r(0.5 * max));
    }
    for (let j = 0; j < rd; j++) {
      let z = spec.bias ? r(weights.fc1Bias?.[j] as number) : 0;
      for (let k = 0; k < c; k++)
        z = r(z + r(r(weights.fc1Weight[j * c + k] as number) * (s[k] as number)));
      hidden[j] = activation32(spec.activation, z);
    }
    for (let ch = 0; ch < c; ch++) {
      let z = spec.bias ? r(weights.fc2Bias?.[ch] as number) : 0;
      for (let j = 0; j < rd; j++)
        z = r(z + r(r(weights.fc2Weight[ch * rd + j] as number) * (hidden[j] as number)));
      const gate =
        spec.gate.type === 'sigmoid'
          ? sigmoid32(z)
          : Math.min(Math.max(r(r(r(spec.gate.alpha) * z) + r(spec.gate.beta)), 0), 1);
      const e = r(gate * spec.gain);
      for (let p = 0; p < plane; p++) {
        const i = (b * c + ch) * plane + p;
        y[i] = r((x[i] as number) * e);
      }
    }
  }
  return y;
}
