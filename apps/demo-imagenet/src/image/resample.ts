import type { RgbImage } from './rgb-image.js';

/** Resampling filters, by the names timm's `pretrained_cfg.interpolation` uses. */
export const INTERPOLATIONS = ['bilinear', 'bicubic', 'nearest'] as const;
export type Interpolation = (typeof INTERPOLATIONS)[number];

interface Filter {
  /** Half-width of the kernel at scale 1, in input pixels. */
  readonly support: number;
  readonly weight: (x: number) => number;
}

// PIL's bicubic uses a = -0.5 (Keys' kernel); torchvision's Resize on a PIL image calls PIL.
const A = -0.5;
const FILTERS: Readonly<Record<Exclude<Interpolation, 'nearest'>, Filter>> = {
  bilinear: { support: 1, weight: (x) => Math.max(0, 1 - Math.abs(x)) },
  bicubic: {
    support: 2,
    weight: (x) => {
      const t = Math.abs(x);
      if (t < 1) return ((A + 2) * t - (A + 3)) * t * t + 1;
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * A;
      return 0;
    },
  },
};

/** For each output index: the first input index it reads and its fixed-point weights. */
interface Taps {
  readonly start: Int32Array;
  readonly weights: Int32Array[];
}

// PIL resamples 8-bit images in fixed point: weights scaled by 2²², sums rounded by adding half
// and shifting back. Doing the same gives PIL's bytes exactly, not merely within a level.
const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);

/** A weight in PIL's fixed point: rounded half away from zero, as C's (int)(w ± 0.5) does. */
const fixed = (w: number) => Math.trunc(w * ONE + (w < 0 ? -0.5 : 0.5));

/**
 * Antialiased resampling weights along one axis, as PIL computes them: output pixel i covers
 * input centre (i + 0.5)·scale; when shrinking, the kernel is stretched by the scale so every
 * input pixel contributes (no aliasing); the weights are normalised to sum to 1, then fixed.
 */
function taps(inSize: number, outSize: number, interpolation: Interpolation): Taps {
  const scale = inSize / outSize;
  const start = new Int32Array(outSize);
  const weights: Int32Array[] = [];
  if (interpolation === 'nearest') {
    for (let i = 0; i < outSize; i++) {
      start[i] = Math.min(inSize - 1, Math.floor((i + 0.5) * scale));
      weights.push(Int32Array.of(ONE));
    }
    return { start, weights };
  }
  const filter = FILTERS[interpolation];
  const stretch = Math.max(scale, 1);
  const support = filter.support * stretch;
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    const lo = Math.max(0, Math.trunc(centre - support + 0.5));
    const hi = Math.min(inSize, Math.trunc(centre + support + 0.5));
    const w = new Float64Array(hi - lo);
    let sum = 0;
    for (let j = lo; j < hi; j++) {
      const value = filter.weight((j + 0.5 - centre) / stretch);
      w[j - lo] = value;
      sum += value;
    }
    start[i] = lo;
    weights.push(Int32Array.from(w, (v) => fixed(sum === 0 ? v : v / sum)));
  }
  return { start, weights };
}

/** A fixed-point sum back to a byte: PIL's clip8 (shift, clamp to 0–255). */
const toByte = (sum: number) => {
  const v = Math.floor(sum / ONE);
  return Math.min(255, Math.max(0, v));
};

/**
 * Resizes an RGB image to `width` × `height` with PIL's resampling (what torchvision's `Resize`
 * does to the PIL image timm's loader gives it): a horizontal pass, then a vertical one, each in
 * PIL's fixed point and rounded to 8 bits, so the bytes are PIL's (tested against PIL 9.4).
 *
 * @example
 * ```ts
 * const small = resizeImage(image, 313, 235, 'bicubic');
 * ```
 */
export function resizeImage(
  image: RgbImage,
  width: number,
  height: number,
  interpolation: Interpolation,
): RgbImage {
  const across = taps(image.width, width, interpolation);
  const down = taps(image.height, height, interpolation);
  const rows = new Uint8Array(image.height * width * 3);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < width; x++) {
      const w = across.weights[x] as Int32Array;
      const from = (y * image.width + (across.start[x] as number)) * 3;
      for (let c = 0; c < 3; c++) {
        let sum = HALF;
        for (let k = 0; k < w.length; k++)
          sum += (w[k] as number) * (image.data[from + 3 * k + c] as number);
        rows[(y * width + x) * 3 + c] = toByte(sum);
      }
    }
  }
  const out = new Uint8Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    const w = down.weights[y] as Int32Array;
    const first = down.start[y] as number;
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = HALF;
        for (let k = 0; k < w.length; k++)
          sum += (w[k] as number) * (rows[((first + k) * width + x) * 3 + c] as number);
        out[(y * width + x) * 3 + c] = toByte(sum);
      }
    }
  }
  return { width, height, data: out, format: image.format };
}

/** Python's round(): halves go to the even neighbour (torchvision's CenterCrop uses it). */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The centre `width` × `height` of an image, where torchvision's `CenterCrop` takes it
 * (offsets `round((size − crop) / 2)`, Python's rounding). The image must be at least that large.
 *
 * @example
 * ```ts
 * const crop = centreCrop(resized, 224, 224);
 * ```
 */
export function centreCrop(image: RgbImage, width: number, height: number): RgbImage {
  if (image.width < width || image.height < height)
    throw new RangeError(
      `centreCrop: a ${width}×${height} crop of a ${image.width}×${image.height} image`,
    );
  const top = roundHalfEven((image.height - height) / 2);
  const left = roundHalfEven((image.width - width) / 2);
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * 3;
    out.set(image.data.subarray(from, from + width * 3), y * width * 3);
  }
  return { width, height, data: out, format: image.format };
}
