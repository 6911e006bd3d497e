#!/usr/bin/env node
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { env as tfEnv } from '@tensorflow/tfjs-core';
import { BACKENDS } from '../backends/catalog.js';
import { CaseLoadError } from '../cases/load.js';
import { renderHtml } from '../report/html.js';
import { renderMatrix } from '../report/terminal.js';
import { ConformanceUsageError, runConformance } from '../run.js';
import { createProgressBar } from './progress.js';

const HELP = `se-conformance: run SE blocks on every available backend and prove they agree.

Usage: se-conformance [options]

  --backends <ids>   comma-separated backend ids (default: all). Known:
                     ${BACKENDS.map((b) => b.key).join(', ')}
  --cases <dir>      directory of golden cases (*.safetensors, the format
                     @seblock/se-core documents); default: se-core's own cases
  --browser          also run the browser backends in Chromium (playwright-core;
                     /usr/bin/chromium or $SEBLOCK_CHROMIUM)
  --json <file>      write the full report as JSON
  --html <file>      write a one-file HTML report (heatmap; open it offline)
  --no-color         plain terminal output (also when NO_COLOR is set)
  -h, --help         this text

Exit status: 0 when everything that ran is within tolerance, 1 when any case
fails or errors, 2 on a usage error.`;

async function writeReport(file: string, text: string): Promise<string> {
  const path = resolve(file);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return path;
}

async function main(argv: string[]): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  function parse(args: string[]) {
    return parseArgs({
      args,
      options: {
        backends: { type: 'string' },
        cases: { type: 'string' },
        browser: { type: 'boolean', default: false },
        json: { type: 'string' },
        html: { type: 'string' },
        'no-color': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
  }
  try {
    // `pnpm conformance -- --backends …` hands the script a bare `--`; this CLI takes no
    // positional arguments, so the separator carries no meaning here.
    values = parse(argv.filter((arg) => arg !== '--')).values;
  } catch (error) {
    process.stderr.write(`se-conformance: ${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  // TF.js' cpu backend prints a "install tfjs-node" banner on first use in Node, which tears
  // the progress bar; the report lists tfjs-node's status itself. tfjs-core 4.22 reads PROD
  // only to silence its warnings (enableProdMode), so nothing else changes.
  tfEnv().set('PROD', true);
  const color = !values['no-color'] && !process.env.NO_COLOR && Boolean(process.stdout.isTTY);
  const progress = createProgressBar();
  try {
    const report = await runConformance({
      ...(values.backends
        ? {
            backends: values.backends
              .split(',')
              .map((b) => b.trim())
              .filter(Boolean),
          }
        : {}),
      ...(values.cases ? { casesDirectory: resolve(values.cases) } : {}),
      browser: values.browser,
      onProgress: (event) => progress.update(event),
    });
    progress.finish();
    process.stdout.write(`${renderMatrix(report, { color })}\n`);
    if (values.json)
      process.stdout.write(
        `JSON report: ${await writeReport(values.json, `${JSON.stringify(report, null, 2)}\n`)}\n`,
      );
    if (values.html)
      process.stdout.write(`HTML report: ${await writeReport(values.html, renderHtml(report))}\n`);
    return report.passed ? 0 : 1;
  } catch (error) {
    progress.finish();
    if (error instanceof ConformanceUsageError || error instanceof CaseLoadError) {
      process.stderr.write(`se-conformance: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`se-conformance: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  },
);
