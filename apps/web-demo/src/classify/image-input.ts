import { decodeImage, ImageDecodeError, imageFormatOf, type RgbImage, toRgb } from 'demo-imagenet';
import sampleUrl from 'demo-imagenet/samples/sample.png?url';

/** An image the user gave (or the sample), decoded to RGB. */
export interface PickedImage {
  readonly name: string;
  readonly image: RgbImage;
}

/**
 * PNG and JPEG go through the same pure-JavaScript decoders as in Node (so both see the same
 * pixels); other formats the browser knows (WebP, GIF, …) through createImageBitmap and a canvas.
 */
export async function readPicked(name: string, bytes: Uint8Array): Promise<PickedImage> {
  if (imageFormatOf(bytes)) return { name, image: decodeImage(bytes, name) };
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  } catch {
    throw new ImageDecodeError(
      name,
      'an image (PNG, JPEG, or a format this browser decodes)',
      `${bytes.length} bytes it cannot decode`,
    );
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  bitmap.close();
  return { name, image: toRgb(canvas.width, canvas.height, data, 4, 255, 'browser-decoded') };
}

/** The committed sample picture, bundled with the page. */
export async function samplePicture(): Promise<PickedImage> {
  const response = await fetch(sampleUrl);
  if (!response.ok) throw new Error(`sample.png: HTTP ${response.status}`);
  return readPicked('sample.png', new Uint8Array(await response.arrayBuffer()));
}

/** Calls `onPick` with each file chosen in the file input or dropped on `zone`. */
export function watchImageInput(
  input: HTMLInputElement,
  zone: HTMLElement,
  onPick: (name: string, bytes: Uint8Array) => void,
): void {
  const take = async (file: File | undefined) => {
    if (file) onPick(file.name, new Uint8Array(await file.arrayBuffer()));
  };
  input.addEventListener('change', () => void take(input.files?.[0]));
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    void take(event.dataTransfer?.files[0]);
  });
}

/** Paints an RGB image on a canvas at its own size (CSS scales it). */
export function paintImage(canvas: HTMLCanvasElement, image: RgbImage): void {
  canvas.width = image.width;
  canvas.height = image.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const pixels = ctx.createImageData(image.width, image.height);
  for (let p = 0; p < image.width * image.height; p++) {
    pixels.data.set(image.data.subarray(3 * p, 3 * p + 3), 4 * p);
    pixels.data[4 * p + 3] = 255;
  }
  ctx.putImageData(pixels, 0, 0);
}
