import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXCITATION_KIND_NAMES } from '@seblock/se-core';
import { describe, expect, it } from 'vitest';
import type { SuiteReport } from '../src/index.js';
import { runCli, TEST_OUTPUT, writeForeignCases } from './helpers.js';

const NODE_BACKENDS = 'tfjs-cpu,tfjs-wasm,ort-node-cpu,ort-web-wasm';

/**
 * The JSON report and the HTML one (its embedded data, and the columns its script draws)
 * carry PyTorch's float32 error of every case and the bound made from it, 4 + 2 × that.
 */
function expectPyTorchErrorReported(report: SuiteReport, html: string): void {
  expect(new Set(report.cases.map((c) => c.spec.excitation.kind))).toEqual(
    new Set(EXCITATION_KIND_NAMES),
  );
  for (const c of report.cases) {
    expect(c.torchFloat32Ulps, c.id).toBeTypeOf('number');
    expect(c.toleranceBasis, c.id).toBe('pytorch-float32');
    expect(c.toleranceUlps, c.id).toBeCloseTo(4 + 2 * (c.torchFloat32Ulps as number), 12);
  }
  const byId = new Map(report.cases.map((c) => [c.id, c]));
  const measured = report.cells.filter((c) => c.metrics);
  expect(measured.length).toBeGreaterThan(0);
  for (const cell of measured) {
    const testCase = byId.get(cell.caseId);
    expect(cell.metrics?.torchUlps, cell.caseId).toBe(testCase?.torchFloat32Ulps);
    expect(cell.metrics?.toleranceUlps, cell.caseId).toBe(testCase?.toleranceUlps);
  }
  const embedded = html.match(
    /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/,
  )?.[1];
  expect(embedded, 'the HTML report embeds its data').toBeDefined();
  const data = JSON.parse(embedded as string) as SuiteReport;
  expect(data.cases.map((c) => [c.id, c.torchFloat32Ulps, c.toleranceUlps])).toEqual(
    report.cases.map((c) => [c.id, c.torchFloat32Ulps, c.toleranceUlps]),
  );
  expect(data.toleranceRule).toMatch(/PyTorch/);
  // The page's script draws both beside each row (checked rendered in cli-browser.test.ts).
  expect(html).toContain("'PyTorch f32'");
  expect(html).toContain("className: 'ref torch'");
}

describe('se-conformance CLI (Node backends)', () => {
  it('passes every se-core golden case on the Node backends and writes JSON and HTML reports', async () => {
    const json = join(TEST_OUTPUT, 'node-backends.json');
    const html = join(TEST_OUTPUT, 'node-backends.html');
    const result = await runCli([
      '--backends',
      `${NODE_BACKENDS},tfjs-node,tfjs-node-gpu,ort-node-cuda`,
      '--json',
      json,
      '--html',
      html,
    ]);
    process.stdout.write(`${result.stdout}\n`);
    expect(result.stderr).not.toMatch(/Error/);
    // TF.js' "install tfjs-node" banner would tear the progress bar.
    expect(result.stdout + result.stderr).not.toMatch(/looks like you are running TensorFlow\.js/);
    expect(result.code).toBe(0);
    const report = JSON.parse(await readFile(json, 'utf8')) as SuiteReport;
    expect(report.passed).toBe(true);
    const ran = report.backends.filter((b) => b.status === 'ran').map((b) => b.key);
    expect(ran).toEqual(['tfjs-cpu', 'tfjs-wasm', 'ort-node-cpu', 'ort-web-wasm']);
    // Backends that cannot run here are listed with a reason, never dropped.
    const skipped = report.backends.filter((b) => b.status === 'skipped');
    for (const b of skipped) expect(b.reason?.length ?? 0, b.key).toBeGreaterThan(20);
    expect(result.stdout).toMatch(/skipped backends:/);
    expect(report.cases.length).toBeGreaterThan(10);
    const worst = Math.max(
      ...report.cells.filter((c) => c.metrics).map((c) => c.metrics?.worstUlp ?? 0),
    );
    process.stdout.write(`worst ULP over Node backends and golden cases: ${worst}\n`);
    const page = await readFile(html, 'utf8');
    expect(page).toMatch(/<table id="matrix">/);
    expectPyTorchErrorReported(report, page);
  });

  it('checks a directory of foreign golden cases, and fails when one expected value is perturbed by 1e-4', async () => {
    const json = join(TEST_OUTPUT, 'foreign.json');
    const good = await runCli([
      '--backends',
      NODE_BACKENDS,
      '--cases',
      await writeForeignCases(0),
      '--json',
      json,
    ]);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    // No PyTorch measurement in these cases: the bound falls back to the naive float32 error.
    const report = JSON.parse(await readFile(json, 'utf8')) as SuiteReport;
    for (const c of report.cases) {
      expect(c.torchFloat32Ulps).toBeUndefined();
      expect(c.toleranceBasis).toBe('naive-float32');
      expect(c.toleranceUlps).toBeGreaterThanOrEqual(4);
    }
    expect(good.stdout).toMatch(/foreign-0/);
    expect(good.stdout).toMatch(/PASS/);

    const bad = await runCli([
      '--backends',
      NODE_BACKENDS,
      '--cases',
      await writeForeignCases(1e-4),
    ]);
    process.stdout.write(`${bad.stdout}\n`);
    expect(bad.code).toBe(1);
    // Every backend's cell for the perturbed case fails, and the failure names the element.
    for (const backend of NODE_BACKENDS.split(','))
      expect(bad.stdout).toContain(`foreign-0 on ${backend}: 1/`);
    expect(bad.stdout).not.toContain('foreign-1 on');
    expect(bad.stdout).toMatch(/worst at 5:/);
    expect(bad.stdout).toMatch(/FAIL/);
  });

  it('exits 2 with a clear message on unknown backends and unreadable case directories', async () => {
    const unknown = await runCli(['--backends', 'tfjs-cpu,tpu-magic']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown backend\(s\): tpu-magic/);
    const missing = await runCli(['--cases', '/nonexistent/cases']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--cases: cannot read directory \/nonexistent\/cases/);
    // The bare `--` that `pnpm conformance -- --backends …` passes through is ignored.
    const separated = await runCli(['--', '--backends', 'tfjs-cpu,tpu-magic']);
    expect(separated.code).toBe(2);
    expect(separated.stderr).toMatch(/unknown backend\(s\): tpu-magic/);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--backends <ids>/);
  });
});
