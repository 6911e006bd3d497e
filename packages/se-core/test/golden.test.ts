// The TypeScript float64 reference against PyTorch: every golden case in
// golden/index.json was computed by torch.nn modules in float64
// (scripts/make_golden.py), so agreement here is agreement with an
// independent implementation, not with ourselves.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decodeGoldenCase,
  type GoldenCase,
  parseSESpec,
  type SESpec,
  seReference,
  specsEqual,
  transposeLayout,
} from '../src/index.js';

const GOLDEN_DIR = fileURLToPath(new URL('../golden/', import.meta.url));
/** Both sides are float64; only summation order and libm rounding differ. */
const TOLERANCE = 1e-12;
/** Denominator floor, so an exact zero expected value (a closed hard-sigmoid gate) still compares. */
const TINY = 1e-300;

interface IndexEntry {
  readonly name: string;
  readonly file: string;
  readonly description: string;
  readonly shape: [number, number, number, number];
  readonly spec: unknown;
}

const index = JSON.parse(readFileSync(join(GOLDEN_DIR, 'index.json'), 'utf8')) as {
  cases: IndexEntry[];
};

function readCase(file: string): GoldenCase {
  return decodeGoldenCase(new Uint8Array(readFileSync(join(GOLDEN_DIR, file))));
}

interface Gap {
  readonly gap: number;
  readonly at: number;
  readonly actual: number;
  readonly expected: number;
}

/** Worst per-element max |a - b| / max(|b|, tiny), and the element where it occurs. */
function worstRelativeGap(actual: ArrayLike<number>, expected: ArrayLike<number>): Gap {
  expect(actual.length).toBe(expected.length);
  let worst: Gap = { gap: 0, at: -1, actual: 0, expected: 0 };
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const b = expected[i] as number;
    const gap = Math.abs(a - b) / Math.max(Math.abs(b), TINY);
    // `!(gap <= worst)` also catches NaN.
    if (!(gap <= worst.gap)) worst = { gap, at: i, actual: a, expected: b };
  }
  return worst;
}

function describeGap(name: string, { gap, at, actual, expected }: Gap): string {
  return at < 0
    ? `${name}: identical`
    : `${name}: worst relative gap ${gap.toExponential(2)} at y[${at}] (${actual} vs ${expected})`;
}

function toNHWC(shape: readonly number[]): [number, number, number, number] {
  const [n, c, h, w] = shape as [number, number, number, number];
  return [n, h, w, c];
}

const worstByCase = new Map<string, number>();

afterAll(() => {
  if (worstByCase.size === 0) return;
  const rows = [...worstByCase].map(([name, gap]) => `  ${gap.toExponential(2)}  ${name}`);
  console.info(
    `golden: TS reference vs PyTorch float64, worst relative gap per case\n${rows.join('\n')}`,
  );
});

describe('golden cases (PyTorch float64)', () => {
  it('index.json lists every golden file, and only those', () => {
    const files = readdirSync(GOLDEN_DIR).filter((f) => f.endsWith('.safetensors'));
    expect(index.cases.map((c) => c.file).sort()).toEqual(files.sort());
    expect(index.cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(index.cases)('$name matches the reference in NCHW and NHWC', (entry) => {
    const golden = readCase(entry.file);
    expect(golden.info.name).toBe(entry.name);
    expect(golden.shape).toEqual(entry.shape);
    expect(specsEqual(golden.block.spec, parseSESpec(entry.spec))).toBe(true);
    expect(golden.y).toBeInstanceOf(Float64Array);

    const { spec, weights } = golden.block;
    const y = seReference(spec, weights, golden.x, golden.shape);
    const nchw = worstRelativeGap(y, golden.y);
    worstByCase.set(entry.name, nchw.gap);
    console.info(describeGap(entry.name, nchw));
    expect(nchw.gap, describeGap(entry.name, nchw)).toBeLessThanOrEqual(TOLERANCE);

    // Same block on the transposed input, transposed back.
    const shapeNHWC = toNHWC(golden.shape);
    const xNHWC = transposeLayout(golden.x, golden.shape, 'NCHW');
    const yNHWC = seReference(spec, weights, xNHWC, shapeNHWC, 'NHWC');
    const back = transposeLayout(yNHWC, shapeNHWC, 'NHWC');
    const nhwc = worstRelativeGap(back, golden.y);
    expect(nhwc.gap, describeGap(`${entry.name} (NHWC)`, nhwc)).toBeLessThanOrEqual(TOLERANCE);
    // The reference does the same arithmetic in either layout, so the results agree exactly.
    expect(worstRelativeGap(back, y).gap).toBe(0);
  });
});

describe('the golden comparison can fail', () => {
  const entryNamed = (name: string): IndexEntry => {
    const entry = index.cases.find((c) => c.name === name);
    if (!entry) throw new Error(`golden case ${name} is missing from index.json`);
    return entry;
  };

  it('notices one element of y off by 1e-11 relative', () => {
    const golden = readCase(entryNamed('avg-relu-sigmoid-bias').file);
    const y = seReference(golden.block.spec, golden.block.weights, golden.x, golden.shape);
    const tampered = Float64Array.from(golden.y);
    const k = Math.floor(tampered.length / 3);
    tampered[k] = (tampered[k] as number) * (1 + 1e-11);
    const { gap, at } = worstRelativeGap(y, tampered);
    expect(at).toBe(k);
    expect(gap).toBeGreaterThan(TOLERANCE);
  });

  it('tells the PyTorch hard-sigmoid (1/6) from the ONNX one (0.2) at the knees', () => {
    const golden = readCase(entryNamed('avg-relu-hardsigmoid-onnx-bias-knees').file);
    const wrong: SESpec = {
      ...golden.block.spec,
      gate: { type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 },
    };
    const y = seReference(wrong, golden.block.weights, golden.x, golden.shape);
    expect(worstRelativeGap(y, golden.y).gap).toBeGreaterThan(0.01);
  });
});
