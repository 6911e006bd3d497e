import { fileURLToPath } from 'node:url';
import { decodeImage, type RgbImage } from 'demo-imagenet';
import { readInputFile } from './input-file.js';

/** The committed sample picture (a boat at sunset, 384 × 288 PNG), from the demo-imagenet package. */
export const SAMPLE_IMAGE = fileURLToPath(import.meta.resolve('demo-imagenet/samples/sample.png'));

/** Reads and decodes the image to classify (the sample when no path is given). */
export async function readImage(
  path: string | undefined,
): Promise<{ image: RgbImage; path: string }> {
  const file = path ?? SAMPLE_IMAGE;
  return { image: decodeImage(await readInputFile('image', file), file), path: file };
}
