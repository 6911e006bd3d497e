// The SE block evaluated naively in float32 (every operation rounded with Math.fround,
// sums in index order): the accuracy a straightforward float32 implementation reaches.
// Its error against the float64 reference measures how ill-conditioned a case is.
import type { SEBlock } from '@seblock/se-core';

const f = Math.fround;

function act(name: string, x: number): number {
  switch (name) {
    case 'relu':
      return Math.max(x, 0);
    case 'relu6':
      return Math.min(Math.max(x, 0), 6);
    case 'silu':
      return f(x * f(1 / f(1 + f(Math.exp(-x)))));
    case 'gelu':
      return f(f(x * 0.5) * f(1 + f(erf32(f(x * f(Math.SQRT1_2))))));
    default:
      return f(f(x * Math.min(Math.max(f(x + 3), 0), 6)) / 6);
  }
}

// Abramowitz-Stegun 7.1.26 is too coarse; float64 series is exact enough before rounding.
function erf32(x: number): number {
  let sum = x;
  let term = x;
  for (let n = 1; n < 60; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return Math.abs(x) > 4 ? Math.sign(x) : f((2 / Math.sqrt(Math.PI)) * sum);
}

/** NCHW only. */
export function seFloat32(block: SEBlock, x: Float32Array, shape: readonly number[]): Float32Array {
  const { spec, weights } = block;
  const [n, c, h, w] = shape as [number, number, number, number];
  const plane = h * w;
  const rd = spec.reducedChannels;
  const y = new Float32Array(x.length);
  for (let b = 0; b < n; b++) {
    const s = new Float32Array(c);
    for (let ch = 0; ch < c; ch++) {
      let sum = 0;
      let max = Number.NEGATIVE_INFINITY;
      for (let p = 0; p < plane; p++) {
        const v = x[(b * c + ch) * plane + p] as number;
        sum = f(sum + v);
        max = Math.max(max, v);
      }
      const mean = f(sum / plane);
      s[ch] = spec.squeeze === 'avg' ? mean : spec.squeeze === 'max' ? max : f(f(mean + max) * 0.5);
    }
    const hidden = new Float32Array(rd);
    for (let j = 0; j < rd; j++) {
      let z = spec.bias ? f(weights.fc1Bias?.[j] as number) : 0;
      for (let k = 0; k < c; k++)
        z = f(z + f(f(weights.fc1Weight[j * c + k] as number) * (s[k] as number)));
      hidden[j] = act(spec.activation, z);
    }
    for (let ch = 0; ch < c; ch++) {
      let z = spec.bias ? f(weights.fc2Bias?.[ch] as number) : 0;
      for (let j = 0; j < rd; j++)
        z = f(z + f(f(weights.fc2Weight[ch * rd + j] as number) * (hidden[j] as number)));
      let e: number;
      if (spec.gate.type === 'sigmoid') e = f(1 / f(1 + f(Math.exp(-z))));
      else {
        const { alpha, beta } = spec.gate;
        e = Math.min(Math.max(f(f(z + f(beta / alpha)) / f(1 / alpha)), 0), 1);
      }
      e = f(e * spec.gain);
      for (let p = 0; p < plane; p++)
        y[(b * c + ch) * plane + p] = f((x[(b * c + ch) * plane + p] as number) * e);
    }
  }
  return y;
}
