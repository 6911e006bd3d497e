// The SE block every consumer runs: the same spec and weights everywhere, from a
// seeded generator, so the Node checks and the browser page compute the same thing.
// Copied into each consumer project next to its check (it imports only se-core).
import { defineSESpec } from '@seblock/se-core';

/** mulberry32: a tiny seeded generator, uniform in [-1, 1). */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  };
}

const fill = (random, n, scale = 1) => Float32Array.from({ length: n }, () => random() * scale);

/** A 16-channel block (reduced to 4, SiLU, sigmoid gate) and an NCHW + NHWC input. */
export function makeCase(seed = 20180918) {
  const random = generator(seed);
  const spec = defineSESpec({
    version: 1,
    channels: 16,
    reducedChannels: 4,
    squeeze: 'avg',
    activation: 'silu',
    gate: { type: 'sigmoid' },
    bias: true,
  });
  const { channels: c, reducedChannels: r } = spec;
  const weights = {
    fc1Weight: fill(random, r * c, 0.5),
    fc1Bias: fill(random, r, 0.1),
    fc2Weight: fill(random, c * r, 0.5),
    fc2Bias: fill(random, c, 0.1),
  };
  const [n, h, w] = [2, 5, 6];
  const nchwShape = [n, c, h, w];
  const nhwcShape = [n, h, w, c];
  const nchw = fill(random, n * c * h * w, 2);
  const nhwc = new Float32Array(nchw.length);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          nhwc[((b * h + y) * w + x) * c + ch] = nchw[((b * c + ch) * h + y) * w + x];
  return { block: { spec, weights }, nchw, nchwShape, nhwc, nhwcShape };
}

/** Largest |a[i] - b[i]|; throws when the lengths differ. */
export function maxAbsDiff(a, b) {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= worst)) worst = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return worst;
}
