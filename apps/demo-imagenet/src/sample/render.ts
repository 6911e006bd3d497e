import type { RgbImage } from '../image/rgb-image.js';

// The demos' sample picture, drawn from code so that no photograph (and no one's licence) is
// needed: a sailing boat on the sea at sunset, 4:3 so the resize and the centre crop both act.

export const SAMPLE_WIDTH = 384;
export const SAMPLE_HEIGHT = 288;

type Rgb = readonly [number, number, number];

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];
const clamp01 = (t: number) => Math.min(1, Math.max(0, t));
const smooth = (edge0: number, edge1: number, x: number) => {
  const t = clamp01((x - edge0) / (edge1 - edge0));
  return t * t * (3 - 2 * t);
};

/** Is (x, y) inside the triangle abc? */
function inTriangle(x: number, y: number, a: Rgb, b: Rgb, c: Rgb): boolean {
  const side = (p: Rgb, q: Rgb) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  const s1 = side(a, b);
  const s2 = side(b, c);
  const s3 = side(c, a);
  return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
}

const HORIZON = 0.62;
const SUN: Rgb = [0.68, 0.5, 0.075];

/** The colour at (u, v) in [0, 1]², v down. */
function scene(u: number, v: number): Rgb {
  let colour: Rgb;
  if (v < HORIZON) {
    // Sky: deep blue at the top through orange to a pale yellow at the horizon, with the sun's glow.
    const t = v / HORIZON;
    colour =
      t < 0.55
        ? mix([38, 52, 112], [214, 110, 84], t / 0.55)
        : mix([214, 110, 84], [252, 206, 120], (t - 0.55) / 0.45);
    const d = Math.hypot((u - SUN[0]) * 1.33, v - SUN[1]);
    colour = mix(colour, [255, 236, 170], 0.55 * Math.exp(-d * 9));
    if (d < SUN[2]) colour = mix([255, 246, 214], colour, smooth(SUN[2] * 0.85, SUN[2], d));
    // Hills on the horizon.
    const hill = HORIZON - 0.05 - 0.035 * Math.sin(u * 7.1 + 0.6) - 0.02 * Math.sin(u * 17.3);
    if (v > hill) colour = mix([92, 60, 88], [70, 46, 74], (v - hill) / (HORIZON - hill));
  } else {
    // Sea: darker with depth, wave bands, and the sun's reflection in a broken column.
    const t = (v - HORIZON) / (1 - HORIZON);
    colour = mix([196, 120, 104], [28, 44, 86], Math.sqrt(t));
    const wave = Math.sin((v * 260) / (0.4 + t) + Math.sin(u * 23) * 1.5);
    colour = mix(colour, [250, 214, 150], 0.1 * (wave * 0.5 + 0.5) * (1 - t));
    const column = Math.exp(-(((u - SUN[0]) * 7) ** 2) * (1 + 3 * t));
    if (wave > 0.35) colour = mix(colour, [255, 226, 160], 0.75 * column * (1 - 0.6 * t));
  }
  // The boat: a hull on the water and two sails, in silhouette.
  const hullTop = 0.72;
  if (v > hullTop && v < 0.76 && u > 0.24 + (v - hullTop) * 1.2 && u < 0.45 - (v - hullTop) * 2)
    colour = [34, 26, 36];
  if (inTriangle(u, v, [0.345, 0.36, 0], [0.345, 0.71, 0], [0.43, 0.71, 0]))
    colour = [246, 232, 210];
  if (inTriangle(u, v, [0.335, 0.4, 0], [0.335, 0.71, 0], [0.26, 0.71, 0]))
    colour = [230, 196, 170];
  if (u > 0.339 && u < 0.344 && v > 0.34 && v < 0.72) colour = [46, 34, 40];
  // Two birds: shallow V shapes.
  for (const [bx, by, s] of [
    [0.2, 0.2, 0.03],
    [0.27, 0.16, 0.022],
  ] as const) {
    const dx = Math.abs(u - bx);
    if (dx < s && Math.abs(v - (by - 0.35 * dx + (0.9 * (dx * dx)) / s)) < 0.004)
      colour = [40, 30, 50];
  }
  return colour;
}

/**
 * Renders the sample picture (384 × 288), 4 × 4 samples per pixel for smooth edges. The same
 * code always gives the same bytes, so tests can compare the committed files with it.
 *
 * @example
 * ```ts
 * const picture = renderSample();
 * picture.data.length; // 384 · 288 · 3
 * ```
 */
export function renderSample(): RgbImage {
  const data = new Uint8Array(SAMPLE_WIDTH * SAMPLE_HEIGHT * 3);
  const n = 4;
  for (let y = 0; y < SAMPLE_HEIGHT; y++) {
    for (let x = 0; x < SAMPLE_WIDTH; x++) {
      const sum = [0, 0, 0];
      for (let sy = 0; sy < n; sy++)
        for (let sx = 0; sx < n; sx++) {
          const c = scene(
            (x + (sx + 0.5) / n) / SAMPLE_WIDTH,
            (y + (sy + 0.5) / n) / SAMPLE_HEIGHT,
          );
          for (let k = 0; k < 3; k++) sum[k] = (sum[k] as number) + (c[k] as number);
        }
      for (let k = 0; k < 3; k++)
        data[(y * SAMPLE_WIDTH + x) * 3 + k] = Math.round(
          Math.min(255, Math.max(0, (sum[k] as number) / (n * n))),
        );
    }
  }
  return { width: SAMPLE_WIDTH, height: SAMPLE_HEIGHT, data, format: 'rendered' };
}
