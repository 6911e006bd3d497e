// Time and memory of each issue-15 reproducer, each in a fresh Node process running the built
// package: the numbers SECURITY.md states. A measurement, not part of the default suite
// (timings depend on the machine): run it with SEBLOCK_BUDGET=1 after `pnpm build`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSEModel } from '../src/index.js';
import { fixtureBytes } from './support/fixtures.js';
import { addChain, concatChain, nestedIfs, selfCallingFunction } from './support/hostile.js';
import { randomBlock } from './support/random.js';

const enabled = process.env.SEBLOCK_BUDGET === '1';
if (!enabled) console.log('[budget] skipped: set SEBLOCK_BUDGET=1 (after `pnpm build`) to measure');

// Issue 15's bound for each reproducer: a typed error or a correct result within these.
const LIMIT_MS = 1_000;
const LIMIT_MB = 200;

// What the child runs: one operation on one model file, timed, with the process's peak RSS.
const CHILD = `
import { readFileSync } from 'node:fs';
import * as api from '@seblock/se-onnxruntime';
import { defineSESpec, SEError } from '@seblock/se-core';
const [file, operation] = process.argv.slice(1);
const bytes = readFileSync(file);
const spec = defineSESpec({ version: 1, channels: 1, reducedChannels: 1, squeeze: 'avg',
  activation: 'relu', gate: { type: 'sigmoid' }, bias: false });
const c1 = { spec, weights: { fc1Weight: new Float32Array([0.5]), fc2Weight: new Float32Array([0.5]) } };
const operations = {
  findResidualBranches: () => api.findResidualBranches(bytes),
  insertSEResidual: () => api.insertSEResidual(bytes, () => c1),
  insertSEResidualNothing: () => api.insertSEResidual(bytes, () => undefined),
  insertSE: () => api.insertSE(bytes, [{ after: 'concat39', block: c1 }]),
  insertSEAfterConv: () => api.insertSE(bytes, [{ after: 'conv', block: c1 }]),
  extractSE: () => api.extractSE(bytes),
  runWrongDims: async () => {
    const session = await api.createModelSession(bytes, { runtime: 'node' });
    try { await session.runArray(new Float32Array(6 * 9), [1, 6, 3, 3]); } finally { await session.release(); }
  },
};
const baseline = process.memoryUsage().rss;
const started = performance.now();
let outcome = 'a result';
try { await operations[operation](); }
catch (error) { outcome = error instanceof SEError ? error.constructor.name : 'UNTYPED ' + String(error).slice(0, 200); }
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, outcome, baselineMB: baseline / 2 ** 20, peakMB: process.resourceUsage().maxRSS / 1024 }));
`;

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'se-budget-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const reproducers: [string, string, () => Uint8Array][] = [
  ['2. 40 × Concat(t, t)', 'findResidualBranches', () => concatChain(40)],
  ['2. 40 × Concat(t, t)', 'insertSEResidual', () => concatChain(40)],
  ['2. 40 × Concat(t, t)', 'insertSE', () => concatChain(40)],
  ['3. function calling itself 6 times', 'extractSE', () => selfCallingFunction(6)],
  ['3. function calling itself 8 times', 'extractSE', () => selfCallingFunction(8)],
  ['4. 20,000 chained Adds', 'findResidualBranches', () => addChain(20_000)],
  ['5. 2,000 nested Ifs', 'insertSEAfterConv', () => nestedIfs(2_000)],
  [
    '7. nothing to insert into a Buffer',
    'insertSEResidualNothing',
    () => fixtureBytes('resnet.onnx'),
  ],
  [
    '8. a feed of the wrong dims',
    'runWrongDims',
    () =>
      buildSEModel(randomBlock({ channels: 6, reducedChannels: 2 }, 4), {
        batch: 1,
        height: 2,
        width: 2,
      }),
  ],
];

describe.skipIf(!enabled)('issue 15 reproducers: time and peak memory in a fresh process', () => {
  it.each(reproducers)('%s: %s', (label, operation, make) => {
    const file = join(dir, `${operation}-${label.replace(/\W+/g, '_')}.onnx`);
    const model = make();
    writeFileSync(file, model);
    const child = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', CHILD, file, operation],
      {
        cwd: packageDir, // resolves @seblock/se-onnxruntime to its built dist (self-reference)
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(child.status, child.stderr).toBe(0);
    const { ms, outcome, baselineMB, peakMB } = JSON.parse(
      child.stdout.trim().split('\n').pop() as string,
    );
    console.log(
      `[budget] ${label} (${(model.length / 1024).toFixed(1)} KB), ${operation}: ${outcome} in ${ms.toFixed(0)} ms, peak RSS ${peakMB.toFixed(0)} MB (${baselineMB.toFixed(0)} MB before the call)`,
    );
    expect(outcome).not.toMatch(/^UNTYPED/);
    expect(ms).toBeLessThan(LIMIT_MS);
    expect(peakMB).toBeLessThan(LIMIT_MB);
  });
});
