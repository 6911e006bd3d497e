// The SE blocks every consumer runs: one block of each excitation kind se-core defines, the
// same specs and weights everywhere, from a seeded generator, so the Node checks and the
// browser page compute the same thing. Copied into each consumer project next to its check
// (it imports only se-core).
import { defineSESpec, EXCITATION_KIND_NAMES, SESpecError, weightSlots } from '@seblock/se-core';

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

const CHANNELS = 16;

/**
 * A 16-channel block of each kind, as the modules that define them build it: the SE MLP (reduced
 * to 4, SiLU, sigmoid), ESE (hard-sigmoid, PyTorch's slope), ECA (kernel 3), circular ECA
 * (kernel 5: two taps wrap at each end) and CBAM's channel attention (the MLP without biases on
 * the mean and the max, summed).
 */
const SPECS = {
  mlp: {
    excitation: { kind: 'mlp', reducedChannels: 4, activation: 'silu', bias: true },
    gate: { type: 'sigmoid' },
  },
  ese: {
    excitation: { kind: 'ese', bias: true },
    gate: { type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 },
  },
  eca: { excitation: { kind: 'eca', kernelSize: 3 }, gate: { type: 'sigmoid' } },
  ceca: { excitation: { kind: 'ceca', kernelSize: 5 }, gate: { type: 'sigmoid' } },
  cbam: {
    squeeze: 'avg+max',
    excitation: { kind: 'cbam', reducedChannels: 4, activation: 'relu', bias: false },
    gate: { type: 'sigmoid' },
  },
};

/** Every excitation kind of the installed se-core: a kind it adds must get a block above. */
export const KINDS = EXCITATION_KIND_NAMES;

/** The block of `kind` (weights for every slot of its spec) and an NCHW + NHWC input. */
export function makeCase(kind = 'mlp', seed = 20180918) {
  if (!SPECS[kind]) throw new Error(`block.mjs has no block of kind "${kind}"`);
  const random = generator(seed);
  const spec = defineSESpec({ version: 2, channels: CHANNELS, ...SPECS[kind] });
  const weights = {};
  for (const slot of weightSlots(spec)) {
    if (!slot.present) continue;
    const size = slot.shape.reduce((a, b) => a * b, 1);
    weights[slot.key] = fill(random, size, slot.key.endsWith('Bias') ? 0.1 : 0.5);
  }
  const c = spec.channels;
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
  return { kind, block: { spec, weights }, nchw, nchwShape, nhwc, nhwcShape };
}

/**
 * Why an adapter refused `kind`'s block: the message of the se-core SESpecError naming
 * `…excitation.kind` (a kind the adapter does not implement yet; `instanceof` works because
 * the consumer has one se-core), or undefined for any other error, which the caller rethrows.
 * The SE MLP may never be refused.
 */
export function kindRefusal(kind, error) {
  if (kind === 'mlp' || !(error instanceof SESpecError)) return undefined;
  return error.field.endsWith('excitation.kind') ? error.message : undefined;
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
