import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Measurement, Runner, Skipped } from '../measurement.js';

// The browser backends (tfjs webgl/webgpu, onnxruntime-web wasm/webgpu) in Debian's headless
// Chromium, through vitest's browser mode (browser/vitest.bench.config.ts) as the conformance
// suite does. Here WebGL runs on SwiftShader and WebGPU on Dawn's CPU adapter: the numbers
// say how the kernels behave, not how a real GPU would run them.

const PACKAGE = fileURLToPath(new URL('../../', import.meta.url));
const REPORTS = fileURLToPath(new URL('../../../../reports/bench/', import.meta.url));
const CHROMIUM = process.env.SEBLOCK_CHROMIUM ?? '/usr/bin/chromium';

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: PACKAGE,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('error', (error) => resolve({ code: -1, output: String(error) }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * Runs browser/page.bench.ts in Chromium with `request` (the page reads it from a file and
 * writes its result back): the parsed result, or why there is none.
 */
export async function runBrowserPage<T>(
  request: object,
): Promise<{ readonly result: T } | { readonly reason: string }> {
  if (!existsSync(CHROMIUM)) return { reason: `no Chromium at ${CHROMIUM} (set SEBLOCK_CHROMIUM)` };
  await mkdir(REPORTS, { recursive: true });
  const requestFile = `${REPORTS}.browser-request.json`;
  const resultFile = `${REPORTS}.browser-result.json`;
  await rm(resultFile, { force: true });
  await writeFile(requestFile, JSON.stringify(request));
  const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));
  const { code, output } = await run([vitest, 'run', '--config', 'browser/vitest.bench.config.ts']);
  try {
    if (code !== 0 || !existsSync(resultFile)) {
      const tail = output.trim().split('\n').slice(-5).join(' | ');
      return { reason: `vitest browser run exited ${code}: ${tail}` };
    }
    return { result: JSON.parse(await readFile(resultFile, 'utf8')) as T };
  } finally {
    await rm(requestFile, { force: true });
    await rm(resultFile, { force: true });
  }
}

export const browserRunner: Runner = {
  name: 'browser',
  async run({ cases, timing, inputSeeds, log }) {
    // Browser runs are slow on a CPU adapter: fewer runs than in Node.
    const browserTiming = {
      ...timing,
      repeats: Math.min(timing.repeats, 7),
      minRepeats: Math.min(timing.minRepeats, 3),
    };
    const outcome = await runBrowserPage<{
      rows: Measurement[];
      skipped: Skipped[];
      info: Record<string, string>;
    }>({ cases, inputSeeds, timing: browserTiming });
    if ('reason' in outcome)
      return { rows: [], skipped: [{ runtime: 'browser', reason: outcome.reason }] };
    for (const r of outcome.result.rows)
      log(`${r.runtime} ${r.caseId} ${r.path}: ${r.timing.medianMs.toFixed(2)} ms`);
    return outcome.result;
  },
};
