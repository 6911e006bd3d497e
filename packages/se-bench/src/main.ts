#!/usr/bin/env node
// se-bench: times the SE block on every backend this machine has, next to a memory copy of
// the same size and PyTorch, and writes reports/bench/<date>.{json,md} (and latest.*).
// Run from the repository root with `pnpm bench` (builds first); `--quick` for a smoke run.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchArgs, loadNote, parseBenchArgs, USAGE } from './args.js';
import { benchCases, sizeOf, uniform } from './cases.js';
import { machineInfo } from './machine.js';
import type { Measurement, Runner, Skipped } from './measurement.js';
import {
  type BenchReport,
  groupSkipped,
  judgeTargets,
  ratioLines,
  toMarkdown,
  wrongResults,
} from './report.js';
import { browserRunner } from './runners/browser.js';
import { memcpyRunner } from './runners/memcpy.js';
import { ortRunner } from './runners/ort.js';
import { tfjsRunner } from './runners/tfjs.js';
import { torchRunner } from './runners/torch.js';
import type { TimingOptions } from './timing.js';

// The copy runs first and last: on a shared machine the faster of the two is the limit.
const RUNNERS: readonly Runner[] = [
  memcpyRunner,
  torchRunner,
  tfjsRunner,
  ortRunner,
  browserRunner,
  memcpyRunner,
];

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const { quick, only } = args;
  const unknown = only?.filter((name) => !RUNNERS.some((r) => r.name === name));
  if (unknown && unknown.length > 0) {
    console.error(`unknown runner(s) ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const outDir = resolve(
    args.out ?? fileURLToPath(new URL('../../../reports/bench', import.meta.url)),
  );
  const timing: TimingOptions = quick
    ? { warmup: 1, repeats: 5, minRepeats: 3, budgetMs: 300 }
    : { warmup: 3, repeats: 30, minRepeats: 7, budgetMs: 1500 };
  const slowTiming: TimingOptions = {
    warmup: 1,
    repeats: quick ? 2 : 5,
    minRepeats: 2,
    budgetMs: 0,
  };
  const cases = benchCases(quick);
  const inputSeeds = Object.fromEntries(cases.map((c, i) => [c.id, 1000 + i]));
  const inputs = new Map(
    cases.map((c) => [c.id, uniform(sizeOf(c.shape), inputSeeds[c.id] as number)]),
  );

  const rows: Measurement[] = [];
  const skipped: Skipped[] = [];
  const loadBefore = os.loadavg()[0] as number;
  const versions: Record<string, string> = {};
  for (const runner of RUNNERS) {
    if (only && runner.name !== 'memcpy' && !only.includes(runner.name)) continue;
    console.log(`[se-bench] ${runner.name}`);
    try {
      const result = await runner.run({
        cases,
        inputs,
        inputSeeds,
        timing,
        slowTiming,
        log: (line) => console.log(`  ${line}`),
      });
      rows.push(...result.rows);
      skipped.push(...result.skipped);
      Object.assign(versions, result.info ?? {});
    } catch (error) {
      skipped.push({
        runtime: runner.name,
        reason: `failed: ${(error as Error).stack ?? String(error)}`,
      });
    }
  }

  const report: BenchReport = {
    date: new Date().toISOString(),
    quick,
    machine: machineInfo(),
    loadAverage: { before: loadBefore, after: os.loadavg()[0] as number },
    versions,
    timing,
    cases,
    rows,
    skipped,
  };
  await mkdir(outDir, { recursive: true });
  const stamp = report.date.replace(/[:.]/g, '-');
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const markdown = toMarkdown(report);
  for (const name of [stamp, 'latest']) {
    await writeFile(join(outDir, `${name}.json`), json);
    await writeFile(join(outDir, `${name}.md`), markdown);
  }

  console.log('\n[se-bench] ratios (one run):');
  for (const line of ratioLines(report)) console.log(`  ${line}`);
  console.log('\n[se-bench] targets (8×256×56×56):');
  for (const t of judgeTargets(report))
    console.log(
      `  ${t.met === undefined ? 'n/a ' : t.met ? 'met ' : 'MISS'} ${t.target}: ${t.measured}`,
    );
  console.log(
    `[se-bench] ${loadNote(report.loadAverage.before, report.loadAverage.after, report.machine.logicalCores)}`,
  );
  for (const g of groupSkipped(skipped))
    console.log(`[se-bench] skipped ${g.runtimes.join('; ')}:\n  ${g.reason}`);
  for (const r of wrongResults(report)) {
    console.log(
      `[se-bench] WRONG RESULT ${r.caseId} ${r.runtime} ${r.path} ${r.layout}: ${r.worstUlp?.toFixed(0)} ULPs from the float64 reference`,
    );
  }
  console.log(`\n[se-bench] wrote ${join(outDir, 'latest.json')} and latest.md (and ${stamp}.*)`);
  return 0;
}

process.exitCode = await main();
