import { decodeGoldenCase } from '@seblock/se-core';
import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { BACKENDS } from '../../src/backends/catalog.js';
import type { ConformanceCase } from '../../src/backends/types.js';
import { inPageProvider } from '../../src/browser/loaders.js';
import { assembleReport } from '../../src/report/assemble.js';
import { renderMatrix } from '../../src/report/terminal.js';
import { runSuite } from '../../src/suite.js';

// The browser half of the suite, run inside vitest's Chromium page: the same runners
// the CLI's --browser page uses, on se-core's golden cases.

async function readBytes(path: string): Promise<Uint8Array> {
  const binary = atob(await commands.readFile(path, 'base64'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function goldenCases(): Promise<ConformanceCase[]> {
  const index = JSON.parse(await commands.readFile('../se-core/golden/index.json')) as {
    cases: { file: string }[];
  };
  return Promise.all(
    index.cases.map(async ({ file }) => ({
      ...decodeGoldenCase(await readBytes(`../se-core/golden/${file}`)),
      id: file.replace(/\.safetensors$/, ''),
    })),
  );
}

describe('conformance suite in Chromium (vitest browser mode)', () => {
  it('every browser backend runs every golden case within tolerance, and agrees pairwise', async () => {
    const cases = await goldenCases();
    const backends = BACKENDS.filter((b) => b.runtime === 'browser');
    const result = await runSuite(backends, cases, () => inPageProvider);
    const report = assembleReport(cases, result, { browser: navigator.userAgent });
    console.log(renderMatrix(report, { color: false }));
    for (const backend of result.backends)
      expect(backend.status, `${backend.key}: ${backend.reason ?? ''}`).toBe('ran');
    // Every backend expresses every case (webgl's missing Erf is handled by se-onnxruntime).
    expect(
      result.cells
        .filter((c) => c.status === 'skip')
        .map((c) => `${c.caseId} on ${c.backend}: ${c.message}`),
    ).toEqual([]);
    expect(report.passed).toBe(true);
  });
});
