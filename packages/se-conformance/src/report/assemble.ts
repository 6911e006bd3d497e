import { PRECISION_TOLERANCES } from '@seblock/se-core';
import type { ConformanceCase } from '../backends/types.js';
import type { SuiteReport } from '../results.js';
import type { RunResult } from '../suite.js';

/**
 * The report of a run: what the CLI prints and writes, and what a web page
 * renders with renderHtml. Passed means every cell that ran passed and every
 * pair of backends agreed.
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
    tolerances: Object.values(PRECISION_TOLERANCES),
    backends: result.backends,
    cases: cases.map((c) => ({
      id: c.id,
      name: c.info.name,
      ...(c.info.description ? { description: c.info.description } : {}),
      shape: c.shape,
      spec: c.block.spec,
    })),
    cells: result.cells,
    pairwise: result.pairwise,
    passed,
  };
}
