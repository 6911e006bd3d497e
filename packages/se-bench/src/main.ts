#!/usr/bin/env node
// se-bench: times the SE block on every backend this machine has, next to a memory copy of
// the same size and PyTorch (the block suite), and SE-ResNet-50 against ResNet-50 as whole
// networks (the network suite); writes reports/bench/<date>.{json,md} (and latest.*).
// Run from the repository root with `pnpm bench` (builds first); `--quick` for a smoke run.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchArgs, loadNote, parseBenchArgs, USAGE } from './args.js';
import { BLOCK_RUNNERS, runBlockSuite } from './blocks-suite.js';
import { machineInfo } from './machine.js';
import {
  networkConsoleLines,
  networkMarkdown,
  networkTargets,
  networkWrongResults,
} from './networks/report.js';
import { NETWORK_RUNNERS, runNetworkSuite } from './networks/suite.js';
import {
  type BenchReport,
  groupSkipped,
  judgeTargets,
  ratioLines,
  type TargetResult,
  toMarkdown,
  wrongResults,
} from './report.js';

const log = (line: string) => console.log(line);

function printTargets(title: string, targets: readonly TargetResult[]): void {
  if (targets.length === 0) return;
  console.log(`\n[se-bench] ${title}:`);
  for (const t of targets)
    console.log(
      `  ${t.met === undefined ? 'n/a ' : t.met ? 'met ' : 'MISS'} ${t.target}: ${t.measured}`,
    );
}

function printSummary(report: BenchReport): void {
  if (report.rows.length > 0) {
    console.log('\n[se-bench] ratios (one run):');
    for (const line of ratioLines(report)) console.log(`  ${line}`);
    printTargets('targets (8×256×56×56)', judgeTargets(report));
  }
  if (report.networks) {
    console.log('\n[se-bench] networks (SE-ResNet-50 against ResNet-50, 224×224):');
    for (const line of networkConsoleLines(report.networks)) console.log(`  ${line}`);
    printTargets('network targets', networkTargets(report.networks));
  }
  console.log(
    `[se-bench] ${loadNote(report.loadAverage.before, report.loadAverage.after, report.machine.logicalCores)}`,
  );
  for (const g of groupSkipped([...report.skipped, ...(report.networks?.skipped ?? [])]))
    console.log(`[se-bench] skipped ${g.runtimes.join('; ')}:\n  ${g.reason}`);
  for (const r of wrongResults(report))
    console.log(
      `[se-bench] WRONG RESULT ${r.caseId} ${r.runtime} ${r.path} ${r.layout}: ${r.worstUlp?.toFixed(0)} ULPs from the float64 reference`,
    );
  for (const line of report.networks ? networkWrongResults(report.networks) : [])
    console.log(`[se-bench] WRONG RESULT ${line}`);
}

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
  const { quick, only, suites } = args;
  const names = new Set([...BLOCK_RUNNERS, ...NETWORK_RUNNERS].map((r) => r.name));
  const unknown = only?.filter((name) => !names.has(name));
  if (unknown && unknown.length > 0) {
    console.error(`unknown runner(s) ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const outDir = resolve(
    args.out ?? fileURLToPath(new URL('../../../reports/bench', import.meta.url)),
  );
  const loadBefore = os.loadavg()[0] as number;
  const loadSamples: { runner: string; load: number }[] = [];
  const sample = (suite: string) => (runner: string) =>
    loadSamples.push({ runner: `${suite}: ${runner}`, load: os.loadavg()[0] as number });
  const blocks = suites.includes('blocks')
    ? await runBlockSuite({ quick, ...(only ? { only } : {}), log, onRunner: sample('blocks') })
    : undefined;
  const networks = suites.includes('networks')
    ? await runNetworkSuite({ quick, ...(only ? { only } : {}), log, onRunner: sample('networks') })
    : undefined;

  const report: BenchReport = {
    date: new Date().toISOString(),
    quick,
    machine: machineInfo(),
    loadAverage: { before: loadBefore, after: os.loadavg()[0] as number },
    loadSamples,
    versions: { ...blocks?.versions, ...networks?.versions },
    ...(blocks ? { timing: blocks.timing } : {}),
    cases: blocks?.cases ?? [],
    rows: blocks?.rows ?? [],
    skipped: blocks?.skipped ?? [],
    ...(networks ? { networks: networks.report } : {}),
  };
  await mkdir(outDir, { recursive: true });
  const stamp = report.date.replace(/[:.]/g, '-');
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const markdown = [
    toMarkdown(report),
    ...(report.networks ? [`${networkMarkdown(report.networks).join('\n')}\n`] : []),
  ].join('\n');
  for (const name of [stamp, 'latest']) {
    await writeFile(join(outDir, `${name}.json`), json);
    await writeFile(join(outDir, `${name}.md`), markdown);
  }
  printSummary(report);
  console.log(`\n[se-bench] wrote ${join(outDir, 'latest.json')} and latest.md (and ${stamp}.*)`);
  return 0;
}

process.exitCode = await main();
