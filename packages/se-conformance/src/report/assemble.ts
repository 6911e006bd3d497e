import { PRECISION_TOLERANCES } from '@seblock/se-core';
import type { ConformanceCase } from '../backends/types.js';
import { conformanceTolerance } from '../compare/tolerance.js';
import type { SuiteReport } from '../results.js';
import type { RunResult } from '../suite.js';

/** The rule of conformanceTolerance, in words, carried by every report. */
export const TOLERANCE_RULE =
  "Each case's bound is base + factor × PyTorch's own float32 error on that case (its float32 forward " +
  'against its float64 one, recorded in the golden case), in float32 ULPs of max(|y|, |x|): with the ' +
  'float32 row, 4 + 2 × PyTorch, so every backend is at least about as accurate as PyTorch. A case ' +
  "without PyTorch's measurement uses a naive float32 evaluation's error instead. NaN and ±Infinity " +
  'in the expected output must be reproduced exactly.';

/**
 * The report of a run: what the CLI prints and writes, and what a web page
 * renders with renderHtml. Passed means every cell that ran passed and every
 * pair of backends agreed.
 *
 * @example
 * ```ts
 * const report = assembleReport(cases, await runSuite(backends, cases, provider), { browser: navigator.userAgent });
 * ```
 */
export function assembleReport(
  cases: readonly ConformanceCase[],
  result: RunResult,
  machine: Readonly<Record<string, string>>,
): SuiteReport {
  const passed =
    result.cells.every((c) => c.status === 'pass' || c.status === 'skip') &&
    result.pairwise.every((p) => p.metrics.passed);
  return {
    date: new Date().toISOString(),
    machine,
    toleranceRule: TOLERANCE_RULE,
    tolerances: Object.values(PRECISION_TOLERANCES),
    backends: result.backends,
    cases: cases.map((c) => {
      const tolerance = conformanceTolerance(c);
      return {
        id: c.id,
        name: c.info.name,
        ...(c.info.description ? { description: c.info.description } : {}),
        shape: c.shape,
        spec: c.block.spec,
        ...(tolerance.torchUlps === undefined ? {} : { torchFloat32Ulps: tolerance.torchUlps }),
        toleranceUlps: tolerance.ulps,
        toleranceBasis: tolerance.basis,
      };
    }),
    cells: result.cells,
    pairwise: result.pairwise,
    passed,
  };
}
