import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Measurement, Runner } from '../measurement.js';
import { seBytes } from '../measurement.js';

// PyTorch (Debian's python3-torch, one thread) as the native anchor: the same blocks, timed
// the same way (warm-up, median), by scripts/torch_anchor.py in a child process. Skipped,
// with the reason, when python3 or torch is missing.

const SCRIPT = fileURLToPath(new URL('../../scripts/torch_anchor.py', import.meta.url));
/** Debian's python3 with python3-torch, or SE_BENCH_PYTHON. */
export const PYTHON = process.env.SE_BENCH_PYTHON ?? '/usr/bin/python3';

interface TorchResult {
  readonly id: string;
  readonly median_ms: number;
  readonly min_ms: number;
  readonly max_ms: number;
  readonly runs: number;
}

/** Runs a script of se-bench's with `input` on stdin. */
export function runPython(
  script: string,
  input: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', (error) => resolve({ code: -1, stdout, stderr: String(error) }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Why a script run failed, for the skipped list. */
export function pythonFailure(script: string, code: number | null, stderr: string): string {
  return stderr.includes('No module named')
    ? `torch is not installed for ${PYTHON} (apt-get install python3-torch)`
    : `${PYTHON} ${script} exited ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`;
}

export const torchRunner: Runner = {
  name: 'pytorch',
  async run({ cases, timing, log }) {
    const request = {
      warmup: timing.warmup,
      repeats: timing.repeats,
      min_repeats: timing.minRepeats,
      budget_ms: timing.budgetMs,
      // The whole se-core spec: the script builds timm's module of its excitation kind.
      cases: cases.map((c) => ({ id: c.id, shape: c.shape, spec: c.spec })),
    };
    const { code, stdout, stderr } = await runPython(SCRIPT, JSON.stringify(request));
    if (code !== 0)
      return {
        rows: [],
        skipped: [{ runtime: 'pytorch-cpu', reason: pythonFailure(SCRIPT, code, stderr) }],
      };
    const out = JSON.parse(stdout) as { torch: string; threads: number; results: TorchResult[] };
    const rows: Measurement[] = out.results.map((r) => {
      const c = cases.find((k) => k.id === r.id);
      if (!c) throw new Error(`torch_anchor.py returned an unknown case ${r.id}`);
      log(`pytorch-cpu ${r.id}: ${r.median_ms.toFixed(2)} ms`);
      return {
        caseId: r.id,
        runtime: 'pytorch-cpu',
        path: `eager, ${out.threads} thread`,
        role: 'anchor',
        layout: 'NCHW',
        timing: { medianMs: r.median_ms, minMs: r.min_ms, maxMs: r.max_ms, runs: r.runs },
        bytesMoved: seBytes(c),
      };
    });
    return { rows, skipped: [], info: { torch: out.torch } };
  },
};
