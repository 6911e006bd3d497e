import { readFileSync } from 'node:fs';
import { decodeImage, type RgbImage } from '../../src/index.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);
const SAMPLES = new URL('../../samples/', import.meta.url);

export const fixtureBytes = (file: string) => new Uint8Array(readFileSync(new URL(file, FIXTURES)));
export const sampleBytes = (file: string) => new Uint8Array(readFileSync(new URL(file, SAMPLES)));
export const fixtureImage = (file: string): RgbImage => decodeImage(fixtureBytes(file), file);

/** What scripts/pil_fixtures.py wrote (see its docstring). */
export interface PilIndex {
  readonly resized: readonly {
    file: string;
    interpolation: 'bilinear' | 'bicubic' | 'nearest';
    width: number;
    height: number;
  }[];
  readonly sample_crop: {
    file: string;
    normalised_sum: number;
    normalised_at: Record<string, number>;
  };
}

export const PIL_INDEX: PilIndex = JSON.parse(
  readFileSync(new URL('index.json', FIXTURES), 'utf8'),
);

/** Largest absolute difference of two byte arrays, and how many bytes differ. */
export function byteDifference(a: Uint8Array, b: Uint8Array): { worst: number; differing: number } {
  let worst = 0;
  let differing = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    worst = Math.max(worst, d);
    if (d) differing++;
  }
  return { worst, differing };
}
