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

export const browserRunner: Runner = {
  name: 'browser',
  async run({ cases, timing, inputSeeds, log }) {
    if (!existsSync(CHROMIUM)) {
      return {
        rows: [],
        skipped: [
          { runtime: 'browser', reason: `no Chromium at ${CHROMIUM} (set SEBLOCK_CHROMIUM)` },
        ],
      };
    }
    await mkdir(REPORTS, { recursive: true });
    const request = `${REPORTS}.browser-request.json`;
    const result = `${REPORTS}.browser-result.json`;
    await rm(result, { force: true });
    // Browser runs are slow on a CPU adapter: fewer runs than in Node.
    const browserTiming = {
      ...timing,
      repeats: Math.min(timing.repeats, 7),
      minRepeats: Math.min(timing.minRepeats, 3),
    };
    await writeFile(request, JSON.stringify({ cases, inputSeeds, timing: browserTiming }));
    const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));
    const { code, output } = await run([
      vitest,
      'run',
      '--config',
      'browser/vitest.bench.config.ts',
    ]);
    if (code !== 0 || !existsSync(result)) {
      const tail = output.trim().split('\n').slice(-5).join(' | ');
      return {
        rows: [],
        skipped: [{ runtime: 'browser', reason: `vitest browser run exited ${code}: ${tail}` }],
      };
    }
    const parsed = JSON.parse(await readFile(result, 'utf8')) as {
      rows: Measurement[];
      skipped: Skipped[];
      info: Record<string, string>;
    };
    for (const r of parsed.rows)
      log(`${r.runtime} ${r.caseId} ${r.path}: ${r.timing.medianMs.toFixed(2)} ms`);
    await rm(request, { force: true });
    await rm(result, { force: true });
    return parsed;
  },
};
