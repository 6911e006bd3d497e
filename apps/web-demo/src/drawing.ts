/** The drawing pad: white strokes on black, like MNIST, turned into the 28×28 image the model reads. */
export interface Pad {
  clear(): void;
  /** Paints a 28×28 image (grey levels in [0, 1]) scaled up onto the pad. */
  show(pixels: ArrayLike<number>): void;
  /** The drawing as MNIST does it: the digit fitted into 20×20, centred by mass in 28×28; undefined when blank. */
  read(): Float32Array | undefined;
}

const SIZE = 28;
const BOX = 20;

function context(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('this browser has no 2D canvas');
  return ctx;
}

export function createPad(canvas: HTMLCanvasElement, onChange: (final: boolean) => void): Pad {
  const ctx = context(canvas);
  const clear = () => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  };
  clear();
  let last: { x: number; y: number } | undefined;
  const point = (event: PointerEvent) => {
    const rect = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) * canvas.width) / rect.width,
      y: ((event.clientY - rect.top) * canvas.height) / rect.height,
    };
  };
  const stroke = (to: { x: number; y: number }) => {
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = canvas.width / 13;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo((last ?? to).x, (last ?? to).y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    last = to;
  };
  canvas.addEventListener('pointerdown', (event) => {
    canvas.setPointerCapture(event.pointerId);
    last = undefined;
    stroke(point(event));
    onChange(false);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (last === undefined || event.buttons === 0) return;
    stroke(point(event));
    onChange(false);
  });
  const end = () => {
    if (last === undefined) return;
    last = undefined;
    onChange(true);
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  return {
    clear,
    show(pixels) {
      const small = document.createElement('canvas');
      small.width = SIZE;
      small.height = SIZE;
      const image = context(small).createImageData(SIZE, SIZE);
      for (let i = 0; i < SIZE * SIZE; i++) {
        const v = Math.round(255 * (pixels[i] as number));
        image.data.set([v, v, v, 255], 4 * i);
      }
      context(small).putImageData(image, 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
    },
    read: () => toMnist(canvas),
  };
}

function grey(ctx: CanvasRenderingContext2D, width: number, height: number): Float32Array {
  const { data } = ctx.getImageData(0, 0, width, height);
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = (data[4 * i] as number) / 255;
  return out;
}

/**
 * MNIST's own preprocessing (LeCun et al.): the digit's bounding box scaled to fit 20×20
 * (aspect kept, anti-aliased), placed in 28×28 so that its centre of mass is in the middle.
 */
function toMnist(canvas: HTMLCanvasElement): Float32Array | undefined {
  const source = grey(context(canvas), canvas.width, canvas.height);
  let [top, left, bottom, right] = [canvas.height, canvas.width, -1, -1];
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) {
      if ((source[y * canvas.width + x] as number) > 0.1) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
    }
  }
  if (bottom < 0) return undefined;
  const w = right - left + 1;
  const h = bottom - top + 1;
  const scale = BOX / Math.max(w, h);
  // Down-scale in two steps: one big step of drawImage aliases thin strokes.
  const mid = document.createElement('canvas');
  mid.width = SIZE * 4;
  mid.height = SIZE * 4;
  const midCtx = context(mid);
  midCtx.fillStyle = '#000';
  midCtx.fillRect(0, 0, mid.width, mid.height);
  midCtx.imageSmoothingQuality = 'high';
  const dw = w * scale * 4;
  const dh = h * scale * 4;
  midCtx.drawImage(canvas, left, top, w, h, (mid.width - dw) / 2, (mid.height - dh) / 2, dw, dh);
  const small = document.createElement('canvas');
  small.width = SIZE;
  small.height = SIZE;
  const smallCtx = context(small);
  smallCtx.imageSmoothingQuality = 'high';
  smallCtx.drawImage(mid, 0, 0, SIZE, SIZE);
  const centred = grey(smallCtx, SIZE, SIZE);
  // Shift by whole pixels so the centre of mass lands on (14, 14).
  let mass = 0;
  let cx = 0;
  let cy = 0;
  centred.forEach((v, i) => {
    mass += v;
    cx += v * (i % SIZE);
    cy += v * Math.floor(i / SIZE);
  });
  const dx = Math.round(SIZE / 2 - cx / mass - 0.5);
  const dy = Math.round(SIZE / 2 - cy / mass - 0.5);
  const out = new Float32Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sx < SIZE && sy >= 0 && sy < SIZE)
        out[y * SIZE + x] = centred[sy * SIZE + sx] as number;
    }
  }
  return out;
}
