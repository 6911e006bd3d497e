/** A decoded picture: 8-bit RGB, row-major, 3 bytes per pixel (alpha dropped, as PIL's convert('RGB')). */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** width × height × 3 bytes. */
  readonly data: Uint8Array;
  /** What it was decoded from, for messages: 'PNG', 'JPEG', 'RGBA pixels'. */
  readonly format: string;
}

/**
 * RGB from interleaved pixels of 1 to 4 channels (grey, grey + alpha, RGB, RGBA), 8 or 16 bits:
 * grey is repeated, alpha dropped (PIL's `convert('RGB')`, which timm's loader uses, drops it
 * too rather than blending onto a background), 16-bit values rounded to 8 bits.
 */
export function toRgb(
  width: number,
  height: number,
  data: ArrayLike<number>,
  channels: number,
  maxValue: number,
  format: string,
): RgbImage {
  const out = new Uint8Array(width * height * 3);
  const scale = 255 / maxValue;
  const colour = channels >= 3;
  for (let p = 0; p < width * height; p++) {
    const at = p * channels;
    for (let c = 0; c < 3; c++) {
      const v = data[colour ? at + c : at] as number;
      out[3 * p + c] = maxValue === 255 ? v : Math.round(v * scale);
    }
  }
  return { width, height, data: out, format };
}
