// Cases checked against se-core's float64 reference on one session configuration; shared by the
// Node and browser suites of this package (accuracy cases, webgpu reductions). se-core's golden
// cases run in @seblock/se-conformance's one suite, on every backend and variant.
import {
  type AccuracyReport,
  accuracyOf,
  type GoldenCase,
  type SEBlock,
  seReference,
  transposeLayout,
} from '@seblock/se-core';
import { expect } from 'vitest';
import type { BuildSEModelOptions } from '../../src/index.js';
import { createSESession, type SessionOptions } from '../../src/index.js';
import { randomFloats } from './random.js';
import { type GoldenTolerance, goldenTolerance } from './tolerance.js';

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

/** One line per backend for the test log: the worst case against its bound, and the worst ULP. */
export function summarise(
  backend: string,
  results: readonly GoldenResult[],
  tolerances: readonly GoldenTolerance[],
): string {
  const rows = results.map((r, i) => ({ ...r, ...(tolerances[i] as GoldenTolerance) }));
  const byRatio = rows.reduce((a, b) =>
    b.report.worstUlp / b.tolerance > a.report.worstUlp / a.tolerance ? b : a,
  );
  const worst = rows.reduce((a, b) => (b.report.worstUlp > a.report.worstUlp ? b : a));
  const nonFinite = rows.reduce((n, r) => n + r.report.nonFinite, 0);
  return (
    `[accuracy] ${backend}: ${rows.length} cases; closest to its bound ${byRatio.name} ` +
    `${byRatio.report.worstUlp.toFixed(2)} of ${byRatio.tolerance.toFixed(2)} ULP; ` +
    `worst ${worst.report.worstUlp.toFixed(2)} ULP (${worst.name}, allowed ${worst.tolerance.toFixed(2)}); ` +
    `${nonFinite} NaN/±Infinity elements reproduced` +
    ((globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env
      .SEBLOCK_GOLDEN_TABLE
      ? `\n${rows.map((r) => `  ${backend} | ${r.name} | ${r.report.worstUlp.toFixed(2)} | ${r.tolerance.toFixed(2)} | torch ${r.torchFloat32Ulp ?? '-'} | naive ${r.naiveFloat32Ulp.toFixed(2)}`).join('\n')}`
      : '')
  );
}

/** Runs every case on one backend and checks each against its bound; returns the summary line. */
export async function expectGoldenCases(
  backend: string,
  cases: readonly GoldenCase[],
  options: SessionOptions & BuildSEModelOptions,
): Promise<string> {
  expect(cases.length).toBeGreaterThan(0);
  const results: GoldenResult[] = [];
  for (const goldenCase of cases) results.push(await runGoldenCase(goldenCase, options));
  const tolerances = cases.map(goldenTolerance);
  // Every case is judged before the test fails, so one run shows every case out of bounds.
  const failures = results.flatMap((r, i) => {
    const { tolerance, torchFloat32Ulp, naiveFloat32Ulp } = tolerances[i] as GoldenTolerance;
    return r.report.worstUlp <= tolerance
      ? []
      : [
          `${r.name}: worst ${r.report.worstUlp} ULP > ${tolerance.toFixed(2)} (PyTorch float32 ${torchFloat32Ulp}, naive ${naiveFloat32Ulp.toFixed(2)}); worst element ${JSON.stringify(r.report.worst)}`,
        ];
  });
  expect(failures, backend).toEqual([]);
  return summarise(backend, results, tolerances);
}
