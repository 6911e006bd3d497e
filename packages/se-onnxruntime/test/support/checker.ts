// Runs Debian's python3-onnx checker on models written by the tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModel } from '../../src/proto/decode.js';
import { toNumber } from '../../src/proto/onnx.js';

export const PYTHON = process.env.SEBLOCK_PYTHON ?? '/usr/bin/python3';

/** Why the checker cannot run here, or undefined when it can. */
export function onnxCheckerUnavailableReason(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import onnx; print(onnx.__version__)'], {
    encoding: 'utf8',
  });
  if (probe.error)
    return `${PYTHON} not found (${probe.error.message}); apt-get install python3-onnx`;
  if (probe.status !== 0)
    return `python3-onnx is missing (${probe.stderr.trim().split('\n').pop()}); apt-get install python3-onnx`;
  return undefined;
}

/**
 * Why Debian's onnx 1.12 checker cannot judge this model, or undefined when it can.
 * Measured: it rejects IR versions above 8 ("ir_version is higher than the checker's"),
 * and at opset 18 it validates nodes against its newest (opset 17) schemas, so the
 * opset-18 form of ReduceMean/ReduceMax/ReduceProd (axes as an input) fails with
 * "has input size 2 not in range [min=1, max=1]". Opset-18 models without Reduce* ops pass.
 */
export function checkerCannotJudge(bytes: Uint8Array): string | undefined {
  const model = decodeModel(bytes);
  const ir = toNumber(model.irVersion);
  if (ir > 8) return `IR version ${ir} (onnx 1.12 checks IR <= 8)`;
  const opset = toNumber(model.opsetImport.find((o) => !o.domain)?.version);
  const nodes = [...(model.graph?.node ?? []), ...model.functions.flatMap((f) => f.node ?? [])];
  const axesMovedAt18 = ['ReduceMean', 'ReduceMax', 'ReduceProd'];
  if (opset >= 18 && nodes.some((n) => axesMovedAt18.includes(n.opType ?? ''))) {
    return `opset ${opset} Reduce* with axes input (onnx 1.12 knows opsets <= 17)`;
  }
  return undefined;
}

export interface CheckerResult {
  readonly name: string;
  readonly error?: string;
}

/** Writes each model to a temp dir and runs onnx.checker.check_model(full_check=True) on all of them in one process. */
export function runOnnxChecker(models: ReadonlyMap<string, Uint8Array>): CheckerResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'se-onnx-check-'));
  const paths: string[] = [];
  let i = 0;
  for (const bytes of models.values()) {
    const path = join(dir, `model_${i++}.onnx`);
    writeFileSync(path, bytes);
    paths.push(path);
  }
  const script = [
    'import json, sys, onnx',
    'for p in sys.argv[1:]:',
    '    try:',
    '        onnx.checker.check_model(onnx.load(p), full_check=True); print(json.dumps({"ok": True}))',
    '    except Exception as e:',
    '        print(json.dumps({"ok": False, "error": str(e)[:400]}))',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', script, ...paths], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (run.status !== 0) throw new Error(`checker process failed: ${run.stderr}`);
  const lines = run.stdout.trim().split('\n');
  return [...models.keys()].map((name, k) => {
    const result = JSON.parse(lines[k] ?? '{"ok":false,"error":"no output"}') as {
      ok: boolean;
      error?: string;
    };
    return result.ok ? { name } : { name, error: result.error ?? 'unknown' };
  });
}
