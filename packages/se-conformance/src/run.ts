import { cpus, platform, release, totalmem } from 'node:os';
import { selectBackends } from './backends/catalog.js';
import { nodeProvider } from './backends/node-provider.js';
import type { BackendDescriptor, ConformanceCase } from './backends/types.js';
import { loadCases } from './cases/load.js';
import { assembleReport } from './report/assemble.js';
import type { SuiteReport } from './results.js';
import { type BackendProvider, type ProgressEvent, runSuite } from './suite.js';

export interface ConformanceOptions {
  /** Backend ids or keys (default: all). */
  readonly backends?: readonly string[];
  /** Directory of golden cases (default: se-core's). */
  readonly casesDirectory?: string;
  /** Run the browser backends in Debian Chromium (default false: they are skipped, with that reason). */
  readonly browser?: boolean;
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** A usage mistake (unknown backend name): the CLI exits 2 on it. */
export class ConformanceUsageError extends Error {
  override readonly name = 'ConformanceUsageError';
}

const notRequested: BackendProvider = {
  async detect(backend) {
    return { available: false, reason: `${backend.key} runs in Chromium: pass --browser` };
  },
};

/**
 * Runs the conformance suite and returns the full report (what the CLI prints
 * and writes as JSON/HTML).
 *
 * @example
 * ```ts
 * const report = await runConformance({ backends: ['tfjs-cpu', 'ort-node-cpu'] });
 * if (!report.passed) process.exitCode = 1;
 * ```
 */
export async function runConformance(options: ConformanceOptions = {}): Promise<SuiteReport> {
  const { selected, unknown } = selectBackends(options.backends);
  if (unknown.length > 0)
    throw new ConformanceUsageError(`unknown backend(s): ${unknown.join(', ')}`);
  const cases: ConformanceCase[] = await loadCases(options.casesDirectory);
  const needsBrowser = options.browser === true && selected.some((b) => b.runtime === 'browser');
  const machine: Record<string, string> = {
    os: `${platform()} ${release()}`,
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    node: process.version,
  };
  let browser: (BackendProvider & { close(): Promise<void>; version: string }) | undefined;
  try {
    if (needsBrowser) {
      const { launchBrowserProvider } = await import('./browser/driver.js');
      browser = await launchBrowserProvider(cases);
      machine.browser = browser.version;
    }
    const provider = (backend: BackendDescriptor): BackendProvider =>
      backend.runtime === 'node' ? nodeProvider : (browser ?? notRequested);
    const result = await runSuite(
      selected,
      cases,
      provider,
      options.onProgress ? { onProgress: options.onProgress } : {},
    );
    return assembleReport(cases, result, machine);
  } finally {
    await browser?.close();
  }
}
