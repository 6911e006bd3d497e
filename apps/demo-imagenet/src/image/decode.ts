import { convertIndexedToRgb, decode as decodePng, hasPngSignature } from 'fast-png';
import jpeg from 'jpeg-js';
import { ImageDecodeError } from './errors.js';
import { type RgbImage, toRgb } from './rgb-image.js';

const EXPECTED = 'a PNG or JPEG image';
/** Larger pictures are refused before decoding: 100 megapixels is 300 MB of RGB. */
const MAX_MEGAPIXELS = 100;

/** The first bytes, as hex, to say what a file that is not an image starts with. */
function excerpt(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'an empty file';
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `${bytes.length} bytes starting ${head}`;
}

const isJpeg = (bytes: Uint8Array) =>
  bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;

/**
 * The format {@link decodeImage} reads these bytes as, by their signature: 'PNG', 'JPEG', or
 * undefined for anything else (a page can then try the browser's own decoders).
 *
 * @example
 * ```ts
 * imageFormatOf(bytes); // 'PNG'
 * ```
 */
export function imageFormatOf(bytes: Uint8Array): 'PNG' | 'JPEG' | undefined {
  if (hasPngSignature(bytes)) return 'PNG';
  if (isJpeg(bytes)) return 'JPEG';
  return undefined;
}

/**
 * Decodes PNG (any bit depth, grey, palette, alpha) and baseline or progressive JPEG to 8-bit
 * RGB with pure-JavaScript decoders (fast-png, jpeg-js), the same in Node and in a browser, so
 * both see the same pixels. The format is told by the file's signature, never by its name.
 * Anything else, or a damaged file, is an {@link ImageDecodeError} naming `source`.
 *
 * @example
 * ```ts
 * const image = decodeImage(new Uint8Array(await readFile('cat.jpg')), 'cat.jpg');
 * console.log(image.width, image.height, image.format); // 640 480 'JPEG'
 * ```
 */
export function decodeImage(bytes: Uint8Array, source: string): RgbImage {
  if (!(bytes instanceof Uint8Array))
    throw new ImageDecodeError(source, EXPECTED, `a ${typeof bytes}, not bytes`);
  const format = imageFormatOf(bytes);
  if (format === 'PNG') return decodePngImage(bytes, source);
  if (format === 'JPEG') return decodeJpegImage(bytes, source);
  throw new ImageDecodeError(source, EXPECTED, excerpt(bytes));
}

function decodePngImage(bytes: Uint8Array, source: string): RgbImage {
  let png: ReturnType<typeof decodePng>;
  try {
    png = decodePng(bytes);
  } catch (error) {
    throw new ImageDecodeError(source, EXPECTED, `a damaged PNG (${(error as Error).message})`);
  }
  checkSize(png.width, png.height, source);
  if (png.palette) {
    const rgb = convertIndexedToRgb(png);
    return toRgb(png.width, png.height, rgb, rgb.length / (png.width * png.height), 255, 'PNG');
  }
  const values = png.depth < 8 ? unpackGrey(png.data, png.width, png.height, png.depth) : png.data;
  return toRgb(png.width, png.height, values, png.channels, 2 ** png.depth - 1, 'PNG');
}

/** fast-png leaves 1-, 2- and 4-bit grey packed, each row padded to a whole byte: one value per pixel. */
function unpackGrey(packed: ArrayLike<number>, width: number, height: number, depth: number) {
  const out = new Uint8Array(width * height);
  const rowBytes = Math.ceil((width * depth) / 8);
  const mask = 2 ** depth - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = packed[y * rowBytes + (bit >> 3)] as number;
      out[y * width + x] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

function decodeJpegImage(bytes: Uint8Array, source: string): RgbImage {
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: MAX_MEGAPIXELS,
      maxMemoryUsageInMB: 4 * MAX_MEGAPIXELS,
    });
  } catch (error) {
    throw new ImageDecodeError(source, EXPECTED, `a damaged JPEG (${(error as Error).message})`);
  }
  checkSize(decoded.width, decoded.height, source);
  return { width: decoded.width, height: decoded.height, data: decoded.data, format: 'JPEG' };
}

function checkSize(width: number, height: number, source: string): void {
  if (width < 1 || height < 1 || width * height > MAX_MEGAPIXELS * 1e6)
    throw new ImageDecodeError(
      source,
      `an image of 1 to ${MAX_MEGAPIXELS} megapixels`,
      `${width}×${height} pixels`,
    );
}
