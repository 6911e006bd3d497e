import { describeShape, SEShapeError } from '../errors/index.js';

export type Layout = 'NCHW' | 'NHWC';
export const LAYOUTS: readonly Layout[] = ['NCHW', 'NHWC'];

/** Batch, channels and spatial size of a 4-D activation in the given layout. */
export interface ActivationDims {
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

/**
 * Reads N, C, H, W from a rank-4 shape and checks it against the block's
 * channel count. When the channel axis does not match but the other layout's
 * would, the message says so (the usual NCHW/NHWC mix-up).
 */
export function activationDims(
  shape: readonly number[],
  layout: Layout,
  channels: number,
  field = 'x',
): ActivationDims {
  if (layout !== 'NCHW' && layout !== 'NHWC') {
    throw new SEShapeError('layout', '"NCHW" or "NHWC"', String(layout));
  }
  if (
    !Array.isArray(shape) ||
    shape.length !== 4 ||
    !shape.every((d) => Number.isInteger(d) && d >= 1)
  ) {
    throw new SEShapeError(
      `${field}.shape`,
      `rank 4 ${layout} with positive dims`,
      Array.isArray(shape) ? describeShape(shape) : String(shape),
    );
  }
  const [n, a, b, c] = shape as [number, number, number, number];
  const dims =
    layout === 'NCHW'
      ? { batch: n, channels: a, height: b, width: c }
      : { batch: n, channels: c, height: a, width: b };
  if (dims.channels !== channels) {
    const other = layout === 'NCHW' ? c : a;
    const hint =
      other === channels
        ? ` (the shape looks like ${layout === 'NCHW' ? 'NHWC' : 'NCHW'}: pass layout '${layout === 'NCHW' ? 'NHWC' : 'NCHW'}')`
        : '';
    throw new SEShapeError(
      `${field}.shape`,
      `${channels} channels on the ${layout} channel axis${hint}`,
      `${describeShape(shape)} (${dims.channels} channels)`,
    );
  }
  return dims;
}

/** Converts NCHW data to NHWC (or back, with `toNCHW`), for any typed array. */
export function transposeLayout<T extends Float32Array | Float64Array>(
  data: T,
  shape: readonly [number, number, number, number],
  from: Layout,
): T {
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const [n, d1, d2, d3] = shape;
  // from NCHW [n, c, h, w] → NHWC; from NHWC [n, h, w, c] → NCHW.
  const [c, h, w] = from === 'NCHW' ? [d1, d2, d3] : [d3, d1, d2];
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const nchw = ((b * c + ch) * h + y) * w + x;
          const nhwc = ((b * h + y) * w + x) * c + ch;
          if (from === 'NCHW') out[nhwc] = data[nchw] as number;
          else out[nchw] = data[nhwc] as number;
        }
      }
    }
  }
  return out;
}
