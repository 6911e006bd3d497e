// Golden cases from se-core, run on any backend; shared by the Node and browser suites.
import {
  type AccuracyReport,
  accuracyOf,
  decodeGoldenCase,
  type GoldenCase,
  type SEBlock,
  seReference,
  transposeLayout,
} from '@seblock/se-core';
import type { BuildSEModelOptions } from '../../src/index.js';
import { createSESession, type SessionOptions } from '../../src/index.js';
import { randomFloats } from './random.js';

export interface GoldenIndexEntry {
  readonly name: string;
  readonly file: string;
  readonly shape: readonly number[];
}

/** Reads golden/index.json and every case through `read` (fs in Node, fetch in a browser). */
export async function loadGoldenCases(
  read: (file: string) => Promise<Uint8Array>,
): Promise<GoldenCase[]> {
  const index = JSON.parse(new TextDecoder().decode(await read('index.json'))) as {
    cases: GoldenIndexEntry[];
  };
  return Promise.all(index.cases.map(async (entry) => decodeGoldenCase(await read(entry.file))));
}

/** A case made here: seeded uniform x in [-1, 1), y from se-core's float64 reference. */
export function randomGoldenCase(
  name: string,
  block: SEBlock,
  shape: readonly [number, number, number, number],
  seed: number,
): GoldenCase {
  const x = randomFloats(
    shape.reduce((a, b) => a * b, 1),
    seed,
  );
  return { info: { name }, block, shape, x, y: seReference(block.spec, block.weights, x, shape) };
}

export interface GoldenResult {
  readonly name: string;
  readonly report: AccuracyReport;
}

/** Runs one case in the given layout and returns its error against the float64 y. */
export async function runGoldenCase(
  goldenCase: GoldenCase,
  options: SessionOptions & BuildSEModelOptions,
): Promise<GoldenResult> {
  const layout = options.layout ?? 'NCHW';
  const [n, c, h, w] = goldenCase.shape;
  const x =
    layout === 'NCHW' ? goldenCase.x : transposeLayout(goldenCase.x, goldenCase.shape, 'NCHW');
  const shape = layout === 'NCHW' ? [n, c, h, w] : [n, h, w, c];
  const session = await createSESession(goldenCase.block, options);
  try {
    const y = await session.runArray(x, shape);
    const got =
      layout === 'NCHW' ? y : transposeLayout(y, shape as [number, number, number, number], 'NHWC');
    return { name: goldenCase.info.name, report: accuracyOf(got, goldenCase.y, goldenCase.x) };
  } finally {
    await session.release();
  }
}

/** One line per backend for the test log: worst ULP and the case it came from. */
export function summarise(
  backend: string,
  results: readonly GoldenResult[],
  naiveFloat32Ulps: readonly number[],
): string {
  const worst = results.reduce((a, b) => (b.report.worstUlp > a.report.worstUlp ? b : a));
  // Cases a naive float32 evaluation gets within 4 ULPs: the "unit-scale" figure.
  const wellConditioned = results.filter((_, i) => (naiveFloat32Ulps[i] as number) <= 4);
  const worstWell = wellConditioned.reduce((a, b) =>
    b.report.worstUlp > a.report.worstUlp ? b : a,
  );
  const worstStrict = results.reduce((a, b) =>
    b.report.worstStrictUlp > a.report.worstStrictUlp ? b : a,
  );
  const maxAbs = Math.max(...results.map((r) => r.report.maxAbsError));
  return (
    `[golden] ${backend}: ${results.length} cases, worst ${worst.report.worstUlp.toFixed(2)} ULP of max(|y|,|x|) (${worst.name}); ` +
    `on the ${wellConditioned.length} well-conditioned cases ${worstWell.report.worstUlp.toFixed(2)} (${worstWell.name}); ` +
    `worst ${worstStrict.report.worstStrictUlp.toExponential(2)} ULP of y alone (${worstStrict.name}); max abs error ${maxAbs.toExponential(2)}`
  );
}
