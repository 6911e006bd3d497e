import type { PrecisionClass } from '@seblock/se-core';
import {
  type BackendDescriptor,
  type BackendRunner,
  CaseUnsupportedError,
  type ConformanceCase,
  type Detection,
} from './backends/types.js';
import { compareBackends, compareWithExpected } from './compare/metrics.js';
import type { BackendReport, CellResult, PairwiseResult } from './results.js';

/** A source of runners: Node backends detect in-process, browser ones through a page. */
export interface BackendProvider {
  detect(backend: BackendDescriptor): Promise<Detection>;
}

export interface ProgressEvent {
  readonly done: number;
  readonly total: number;
  readonly label: string;
}

export interface RunOptions {
  readonly onProgress?: (event: ProgressEvent) => void;
}

export interface RunResult {
  readonly backends: BackendReport[];
  readonly cells: CellResult[];
  readonly pairwise: PairwiseResult[];
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Runs every case on every available backend, compares each output with the
 * case's expected y and with every other backend's output for that case.
 * A backend that fails to initialise is reported as skipped with its reason;
 * a case that throws is an `error` cell (a failure), never dropped.
 */
export async function runSuite(
  backends: readonly BackendDescriptor[],
  cases: readonly ConformanceCase[],
  provider: (backend: BackendDescriptor) => BackendProvider,
  options: RunOptions = {},
): Promise<RunResult> {
  const reports: BackendReport[] = [];
  const cells: CellResult[] = [];
  const outputs = new Map<string, Map<string, Float32Array>>(); // caseId → backend key → y
  const total = backends.length * (cases.length + 1);
  let done = 0;
  const tick = (label: string) => options.onProgress?.({ done: ++done, total, label });

  for (const backend of backends) {
    let detection: Detection;
    try {
      detection = await provider(backend).detect(backend);
    } catch (error) {
      detection = { available: false, reason: errorText(error) };
    }
    tick(`${backend.key}: ${detection.available ? 'ready' : 'skipped'}`);
    if (!detection.available) {
      reports.push({ ...backend, status: 'skipped', reason: detection.reason });
      for (const c of cases)
        cells.push({
          caseId: c.id,
          backend: backend.key,
          status: 'skip',
          message: detection.reason,
        });
      done += cases.length;
      options.onProgress?.({ done, total, label: `${backend.key}: skipped` });
      continue;
    }
    const runner: BackendRunner = detection.runner;
    reports.push({
      ...backend,
      status: 'ran',
      measuredPrecision: runner.precision,
      versions: runner.versions,
      variants: runner.variants,
    });
    const variant = runner.variants[0];
    try {
      for (const testCase of cases) {
        const started = performance.now();
        try {
          const y = await runner.run(testCase, variant);
          const metrics = compareWithExpected(y, testCase, runner.precision);
          cells.push({
            caseId: testCase.id,
            backend: backend.key,
            variant,
            status: metrics.passed ? 'pass' : 'fail',
            metrics,
            milliseconds: performance.now() - started,
          });
          if (!outputs.has(testCase.id)) outputs.set(testCase.id, new Map());
          outputs.get(testCase.id)?.set(backend.key, y);
        } catch (error) {
          cells.push({
            caseId: testCase.id,
            backend: backend.key,
            variant,
            status: error instanceof CaseUnsupportedError ? 'skip' : 'error',
            message: errorText(error),
            milliseconds: performance.now() - started,
          });
        }
        tick(`${backend.key}: ${testCase.id}`);
      }
    } finally {
      await runner.dispose();
    }
  }
  return { backends: reports, cells, pairwise: comparePairs(cases, outputs, reports) };
}

/** Every pair of backends that produced an output for the same case. */
export function comparePairs(
  cases: readonly ConformanceCase[],
  outputs: ReadonlyMap<string, ReadonlyMap<string, Float32Array>>,
  backends: readonly BackendReport[],
): PairwiseResult[] {
  const precisionOf = new Map<string, PrecisionClass>(
    backends.map((b) => [b.key, b.measuredPrecision ?? b.precision]),
  );
  const pairs: PairwiseResult[] = [];
  for (const testCase of cases) {
    const byBackend = [...(outputs.get(testCase.id) ?? new Map<string, Float32Array>()).entries()];
    for (let i = 0; i < byBackend.length; i++) {
      for (let j = i + 1; j < byBackend.length; j++) {
        const [a, ya] = byBackend[i] as [string, Float32Array];
        const [b, yb] = byBackend[j] as [string, Float32Array];
        const metrics = compareBackends(
          { y: ya, precision: precisionOf.get(a) ?? 'float32' },
          { y: yb, precision: precisionOf.get(b) ?? 'float32' },
          testCase,
        );
        pairs.push({ caseId: testCase.id, a, b, metrics });
      }
    }
  }
  return pairs;
}
