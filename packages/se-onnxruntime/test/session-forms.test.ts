// SESSION_FORMS (src/session/forms.ts) picks each execution provider's squeeze form for
// accuracy first. Here every squeeze form runs on the Node EPs over the golden and accuracy
// cases: the table printed (`[forms] …` lines) is where the README's numbers come from, and
// the form the table picks must meet every case's bound (4 + 2 × PyTorch's float32 error).
import { readFileSync } from 'node:fs';
import type { GoldenCase } from '@seblock/se-core';
import { listGoldenCases, readGoldenCaseFile } from '@seblock/se-core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQUEEZE_OPS } from '../src/forms/pool/registry.js';
import { SESSION_FORMS, type SessionOptions } from '../src/index.js';
import { accuracyCases } from './support/accuracy-cases.js';
import { runGoldenCase } from './support/golden.js';
import { goldenTolerance } from './support/tolerance.js';

let cases: GoldenCase[] = [];
const lines: string[] = [];
beforeAll(async () => {
  const accuracy = accuracyCases(
    readFileSync(new URL('./fixtures/accuracy-cases.json', import.meta.url), 'utf8'),
  );
  const golden = await Promise.all(
    (await listGoldenCases()).map(({ path }) => readGoldenCaseFile(path)),
  );
  cases = [...golden, ...accuracy];
});
afterAll(() => {
  for (const line of lines) console.log(line);
});

const PROVIDERS: [string, string, SessionOptions][] = [
  ['onnxruntime-node', 'cpu', { runtime: 'node' }],
  ['onnxruntime-web (Node)', 'wasm', { runtime: 'web', executionProviders: ['wasm'] }],
];

describe.each(PROVIDERS)('every squeeze form on %s %s', (runtime, provider, options) => {
  it('the session form meets every bound; each form measured', { timeout: 300_000 }, async () => {
    const chosen = SESSION_FORMS[provider]?.both.squeezeOp;
    for (const squeezeOp of SQUEEZE_OPS) {
      const over: string[] = [];
      let closest = 0;
      let worst = 0;
      for (const c of cases) {
        const { report } = await runGoldenCase(c, { ...options, squeezeOp });
        const { tolerance } = goldenTolerance(c);
        closest = Math.max(closest, report.worstUlp / tolerance);
        worst = Math.max(worst, report.worstUlp);
        if (report.worstUlp > tolerance) over.push(c.info.name);
      }
      lines.push(
        `[forms] ${runtime} ${provider} ${squeezeOp}${squeezeOp === chosen ? ' (session form)' : ''}: ` +
          `${cases.length - over.length}/${cases.length} cases within bound, closest ${(100 * closest).toFixed(0)}% of its bound, ` +
          `worst ${worst.toFixed(2)} ULP${over.length ? `; over: ${over.join(', ')}` : ''}`,
      );
      if (squeezeOp === chosen) expect(over, `${provider} ${squeezeOp}`).toEqual([]);
    }
  });
});
