// The TypeScript float64 reference against PyTorch: every golden case in
// golden/index.json was computed by torch.nn modules in float64
// (scripts/make_golden.py), so agreement here is agreement with an
// independent implementation, not with ourselves.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type WorstGap, worstGap } from '../src/golden/gap.js';
import {
  decodeGoldenCase,
  EXCITATION_KIND_NAMES,
  excitationKind,
  type GoldenCase,
  parseSESpec,
  type SESpec,
  seReference,
  seReferenceDetailed,
  specsEqual,
  transposeLayout,
} from '../src/index.js';

const GOLDEN_DIR = fileURLToPath(new URL('../golden/', import.meta.url));
/** Both sides are float64; only summation order and libm rounding differ. */
const TOLERANCE = 1e-12;

interface IndexEntry {
  readonly name: string;
  readonly file: string;
  readonly description: string;
  readonly shape: [number, number, number, number];
  readonly spec: unknown;
  readonly torchFloat32Ulps: number;
}

const index = JSON.parse(readFileSync(join(GOLDEN_DIR, 'index.json'), 'utf8')) as {
  cases: IndexEntry[];
};

function readCase(file: string): GoldenCase {
  return decodeGoldenCase(new Uint8Array(readFileSync(join(GOLDEN_DIR, file))));
}

function describeGap(name: string, { gap, at, actual, expected }: WorstGap): string {
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
    // PyTorch's own float32 error, measured by the generator (tolerance data).
    expect(golden.info.torchFloat32Ulps).toBeGreaterThanOrEqual(0);
    expect(golden.info.torchFloat32Ulps).toBe(entry.torchFloat32Ulps);

    const { spec, weights } = golden.block;
    const y = seReference(spec, weights, golden.x, golden.shape);
    const nchw = worstGap(y, golden.y);
    worstByCase.set(entry.name, nchw.gap);
    console.info(describeGap(entry.name, nchw));
    expect(nchw.gap, describeGap(entry.name, nchw)).toBeLessThanOrEqual(TOLERANCE);

    // Same block on the transposed input, transposed back.
    const shapeNHWC = toNHWC(golden.shape);
    const xNHWC = transposeLayout(golden.x, golden.shape, 'NCHW');
    const yNHWC = seReference(spec, weights, xNHWC, shapeNHWC, 'NHWC');
    const back = transposeLayout(yNHWC, shapeNHWC, 'NHWC');
    const nhwc = worstGap(back, golden.y);
    expect(nhwc.gap, describeGap(`${entry.name} (NHWC)`, nhwc)).toBeLessThanOrEqual(TOLERANCE);
    // The reference does the same arithmetic in either layout, so the results agree exactly.
    expect(worstGap(back, y).gap).toBe(0);
  });
});

describe('what the golden cases cover', () => {
  const cases = index.cases.map((entry) => readCase(entry.file));

  it('every excitation kind and every squeeze mode it accepts', () => {
    for (const name of EXCITATION_KIND_NAMES) {
      for (const mode of excitationKind(name).squeezeModes) {
        const found = cases.some(
          ({ block: { spec } }) => spec.excitation.kind === name && spec.squeeze === mode,
        );
        expect(found, `${name} with squeeze ${mode}`).toBe(true);
      }
    }
  });

  it('NaN in x under avg and max squeeze, and a mean whose float32 sum overflows', () => {
    const withNaN = cases.filter((c) => c.x.some(Number.isNaN)).map((c) => c.block.spec.squeeze);
    expect(new Set(withNaN)).toEqual(new Set(['avg', 'max']));
    const overflowing = cases.filter((c) =>
      seReferenceDetailed(c.block.spec, c.block.weights, c.x, c.shape).avg.some(
        (v) => v === Number.POSITIVE_INFINITY,
      ),
    );
    expect(overflowing.length).toBeGreaterThan(0);
    // Where x is NaN, y is NaN; NaN never appears in y of a case without one in x.
    for (const c of cases) {
      c.x.forEach((v, i) => {
        if (Number.isNaN(v)) expect(c.y[i]).toBeNaN();
      });
      if (!c.x.some(Number.isNaN) && !c.x.some((v) => Math.abs(v) > 1e38)) {
        expect(c.y.some(Number.isNaN), c.info.name).toBe(false);
      }
    }
  });
});

function entryNamed(name: string): IndexEntry {
  const entry = index.cases.find((c) => c.name === name);
  if (!entry) throw new Error(`golden case ${name} is missing from index.json`);
  return entry;
}

describe('the golden comparison can fail', () => {
  it('notices a number where NaN is expected, and NaN where a number is', () => {
    const golden = readCase(entryNamed('max-relu-sigmoid-bias-nan').file);
    const y = seReference(golden.block.spec, golden.block.weights, golden.x, golden.shape);
    const nanAt = golden.y.findIndex(Number.isNaN);
    const finiteAt = golden.y.findIndex(Number.isFinite);
    expect(worstGap(y, golden.y).gap).toBeLessThanOrEqual(TOLERANCE);
    const filled = Float64Array.from(y);
    filled[nanAt] = 0;
    expect(worstGap(filled, golden.y).gap).toBe(Number.POSITIVE_INFINITY);
    const spoiled = Float64Array.from(y);
    spoiled[finiteAt] = Number.NaN;
    expect(worstGap(spoiled, golden.y)).toMatchObject({
      gap: Number.POSITIVE_INFINITY,
      at: finiteAt,
    });
  });

  it('notices one element of y off by 1e-11 relative', () => {
    const golden = readCase(entryNamed('avg-relu-sigmoid-bias').file);
    const y = seReference(golden.block.spec, golden.block.weights, golden.x, golden.shape);
    const tampered = Float64Array.from(golden.y);
    const k = Math.floor(tampered.length / 3);
    tampered[k] = (tampered[k] as number) * (1 + 1e-11);
    const { gap, at } = worstGap(y, tampered);
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
    expect(worstGap(y, golden.y).gap).toBeGreaterThan(0.01);
  });
});
