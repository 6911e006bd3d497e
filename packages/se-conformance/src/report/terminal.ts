import type { SuiteReport } from '../results.js';
import { formatError, formatUlp } from './format.js';

export interface TerminalOptions {
  readonly color: boolean;
}

const paint = (on: boolean, code: number, text: string) =>
  on ? `\x1b[${code}m${text}\x1b[0m` : text;
const pad = (text: string, width: number) =>
  text + ' '.repeat(Math.max(0, width - [...text].length));

/** Per backend that ran: its worst cell and the cell closest to its bound. */
function worstPerBackend(report: SuiteReport): string[] {
  const width = Math.max(0, ...report.backends.map((b) => b.key.length)) + 2;
  return report.backends
    .filter((b) => b.status === 'ran')
    .flatMap((backend) => {
      const cells = report.cells.filter((c) => c.backend === backend.key && c.metrics);
      if (cells.length === 0) return [];
      const metricsOf = (c: (typeof cells)[number]) => c.metrics as NonNullable<typeof c.metrics>;
      const worst = cells.reduce((a, b) => (metricsOf(b).worstUlp > metricsOf(a).worstUlp ? b : a));
      const ratio = (c: (typeof cells)[number]) =>
        metricsOf(c).worstUlp / metricsOf(c).toleranceUlps;
      const closest = cells.reduce((a, b) => (ratio(b) > ratio(a) ? b : a));
      const w = metricsOf(worst);
      const k = metricsOf(closest);
      return [
        `  ${pad(backend.key, width)}${pad(`${formatUlp(w.worstUlp)}`, 7)}${worst.caseId} (bound ${formatUlp(w.toleranceUlps)}); ` +
          `closest to its bound: ${closest.caseId} ${formatUlp(k.worstUlp)}/${formatUlp(k.toleranceUlps)}` +
          (backend.variants ? ` [${backend.variants[0]}]` : ''),
      ];
    });
}

/**
 * The cases × backends matrix: worst ULP distance per cell with ✓ / ✗,
 * `err` for a case that threw; then skipped backends with their reasons,
 * the worst pairwise agreement and a verdict.
 */
export function renderMatrix(report: SuiteReport, options: TerminalOptions): string {
  const ran = report.backends.filter((b) => b.status === 'ran');
  const lines: string[] = [];
  const caseWidth = Math.max(4, ...report.cases.map((c) => c.id.length)) + 2;
  const widthOf = (key: string) => Math.max(9, key.length + 2);
  // PyTorch's own float32 error and the bound made from it, beside each row of cells.
  const refWidth = 8;
  lines.push(
    pad('case', caseWidth) +
      pad('torch', refWidth) +
      pad('tol', refWidth) +
      ran.map((b) => pad(b.key, widthOf(b.key))).join(''),
  );
  for (const testCase of report.cases) {
    let line =
      pad(testCase.id, caseWidth) +
      pad(
        testCase.torchFloat32Ulps === undefined ? '–' : formatUlp(testCase.torchFloat32Ulps),
        refWidth,
      ) +
      pad(formatUlp(testCase.toleranceUlps), refWidth);
    for (const backend of ran) {
      const cell = report.cells.find((c) => c.caseId === testCase.id && c.backend === backend.key);
      let text = '?';
      let color = 0;
      if (cell?.status === 'error') [text, color] = ['err', 31];
      else if (cell?.status === 'skip') [text, color] = ['skip', 33];
      else if (cell?.metrics)
        [text, color] = [
          `${formatUlp(cell.metrics.worstUlp)} ${cell.status === 'pass' ? '✓' : '✗'}`,
          cell.status === 'pass' ? 32 : 31,
        ];
      line += paint(options.color && color !== 0, color, pad(text, widthOf(backend.key)));
    }
    lines.push(line);
  }
  lines.push(
    '',
    "cells: worst error in float32 ULPs of max(|y|, |x|) against the expected output; ✓ within the case's tolerance, ✗ not",
    "torch: PyTorch's own float32 error on the case (same unit); tol: the case's bound, 4 + 2 × torch",
  );
  const worstLines = worstPerBackend(report);
  if (worstLines.length > 0) lines.push('', 'worst per backend (ULP, case, bound):', ...worstLines);
  const skipped = report.backends.filter((b) => b.status === 'skipped');
  if (skipped.length > 0) {
    lines.push('', 'skipped backends:');
    for (const b of skipped)
      lines.push(`  ${paint(options.color, 33, pad(b.key, 22))} ${b.reason ?? ''}`);
  }
  const ranKeys = new Set(ran.map((b) => b.key));
  const skippedCells = report.cells.filter((c) => c.status === 'skip' && ranKeys.has(c.backend));
  if (skippedCells.length > 0) {
    lines.push('', 'cases a backend cannot express (skipped, not failed):');
    for (const c of skippedCells)
      lines.push(
        `  ${paint(options.color, 33, `${c.caseId} on ${c.backend}`)}: ${c.message ?? ''}`,
      );
  }
  const failures = report.cells.filter((c) => c.status === 'fail' || c.status === 'error');
  if (failures.length > 0) {
    lines.push('', 'failures:');
    for (const f of failures) {
      const m = f.metrics;
      const detail = m
        ? `${m.outOfTolerance}/${m.count} elements over ${formatUlp(m.toleranceUlps)} ULP; worst at ${m.worst.index}: got ${m.worst.actual}, expected ${m.worst.expected} (${formatUlp(m.worstUlp)} ULP, abs ${formatError(m.maxAbsError)})`
        : (f.message ?? '');
      lines.push(`  ${paint(options.color, 31, `${f.caseId} on ${f.backend}`)}: ${detail}`);
    }
  }
  const worstPair = report.pairwise.reduce<(typeof report.pairwise)[number] | undefined>(
    (w, p) => (!w || p.metrics.worstUlp > w.metrics.worstUlp ? p : w),
    undefined,
  );
  if (worstPair) {
    const failedPairs = report.pairwise.filter((p) => !p.metrics.passed).length;
    lines.push(
      '',
      `pairwise: ${report.pairwise.length} backend pairs × cases compared, ${failedPairs} out of tolerance; worst ${formatUlp(worstPair.metrics.worstUlp)} ULP (${worstPair.a} vs ${worstPair.b}, ${worstPair.caseId})`,
    );
  }
  const ranCells = report.cells.filter((c) => c.status !== 'skip').length;
  lines.push(
    '',
    report.passed
      ? paint(
          options.color,
          32,
          `PASS: ${ranCells} runs on ${ran.length} backends, all within tolerance`,
        )
      : paint(
          options.color,
          31,
          `FAIL: ${failures.length} of ${ranCells} runs out of tolerance or erroring`,
        ),
  );
  return lines.join('\n');
}
