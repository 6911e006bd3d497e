import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSEBundle, EXCITATION_KIND_NAMES } from '@seblock/se-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumUnavailableReason } from '../../../tooling/chromium.js';
import type { DemoSummary } from '../src/demo.js';
import { APP_DIR, CLI, TEST_OUTPUT } from './support/paths.js';
import { type Run, runCli } from './support/run-cli.js';
import { screenshotTerminal } from './support/screenshot.js';

const built = existsSync(CLI);
if (!built) console.warn(`[node-demo] ${CLI} is missing: run \`pnpm build\` first`);

// DEMO_FULL=1 runs the default configuration (about 2 minutes) and keeps its screenshot: the
// one in the README. Otherwise a short run: 1 epoch on 1,000 images.
const FULL = process.env.DEMO_FULL === '1';
const ARGS = FULL
  ? []
  : ['--epochs', '1', '--train', '1000', '--test', '500', '--ort-images', '64'];

describe.skipIf(!built)('se-demo, end to end', () => {
  let out: string;
  let run: Run;
  let summary: DemoSummary;

  beforeAll(async () => {
    // The full run writes where a user's would (apps/node-demo/out/, git-ignored), so the
    // screenshot shows the defaults.
    out = FULL ? join(APP_DIR, 'out') : await mkdtemp(join(tmpdir(), 'node-demo-'));
    run = await runCli([...ARGS, ...(FULL ? [] : ['--out', out]), '--color']);
    if (run.code !== 0)
      throw new Error(`se-demo exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
    summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as DemoSummary;
    await mkdir(TEST_OUTPUT, { recursive: true });
    await writeFile(join(TEST_OUTPUT, 'output.txt'), run.stdout);
    process.stdout.write(`[node-demo] se-demo ${ARGS.join(' ')}: ${run.seconds.toFixed(1)} s\n`);
  });
  afterAll(async () => {
    if (out && !FULL) await rm(out, { recursive: true, force: true });
  });

  it('trains both nets above chance and prints the comparison table', () => {
    const [se, plain] = summary.nets;
    expect(se.name).toBe('SE-ResNet');
    // Ten classes: chance is 10%. One epoch on 1,000 images lands at 35–50% here: well above it.
    expect(se.heldOutAccuracy).toBeGreaterThan(FULL ? 0.9 : 0.2);
    expect(plain.heldOutAccuracy).toBeGreaterThan(FULL ? 0.9 : 0.2);
    // The twins differ by the SE blocks only: 2·C·C/r + C/r + C weights per block.
    expect(se.parameters - plain.parameters).toBe(2 * 16 * 4 + 4 + 16 + (2 * 32 * 8 + 8 + 32));
    expect(run.stdout).toMatch(/net\s+parameters\s+training time\s+held-out accuracy/);
    expect(run.stdout).toContain('SE-ResNet');
    expect(run.stdout).toMatch(/epoch 1\/\d .*100%/);
  });

  it('writes the TF.js model, the se-core bundle and the samples', async () => {
    const model = JSON.parse(await readFile(join(out, 'model.json'), 'utf8'));
    expect(model.format).toBe('layers-model');
    expect(model.weightsManifest[0].paths).toEqual(['model.weights.bin']);
    expect(JSON.stringify(model.modelTopology)).toContain('SqueezeExcite');
    const blocks = decodeSEBundle(
      new Uint8Array(await readFile(join(out, 'se-blocks.safetensors'))),
    );
    expect([...blocks.keys()]).toEqual(['layer1_se', 'layer2_se']);
    expect(blocks.get('layer2_se')?.spec).toMatchObject({
      version: 2,
      channels: 32,
      excitation: { kind: 'mlp', reducedChannels: 8, activation: 'relu', bias: true },
      gate: { type: 'sigmoid' },
    });
    const samples = JSON.parse(await readFile(join(out, 'samples.json'), 'utf8')) as {
      label: number;
      pixels: number[];
    }[];
    expect(samples.map((s) => s.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(samples.every((s) => s.pixels.length === 784)).toBe(true);
  });

  it('gives the same SE block outputs on onnxruntime-node as on TF.js', () => {
    expect(summary.onnxruntime.map((b) => b.block)).toEqual(['layer1_se', 'layer2_se']);
    for (const block of summary.onnxruntime) {
      if (block.skipped !== undefined) throw new Error(`${block.block}: ${block.skipped}`);
      expect(block.maxAbsDifference, block.block).toBeLessThan(1e-5);
      // se-core's accuracy model: a few float32 ULPs of max(|y|, |x|), within what se-core
      // allows between two float32 runtimes on this input.
      expect(block.worstUlp, block.block).toBeLessThanOrEqual(block.allowedUlp);
    }
    expect(run.stdout).toContain('Same weights, two runtimes');
  });

  it('shows the mean excitation per digit of the last block', () => {
    const last = summary.excitations.at(-1);
    expect(last?.block).toBe('layer2_se');
    expect(last?.mean).toHaveLength(10);
    for (const row of last?.mean ?? []) {
      expect(row).toHaveLength(32);
      for (const e of row) {
        expect(e).toBeGreaterThanOrEqual(0);
        expect(e).toBeLessThanOrEqual(1);
      }
    }
    expect(run.stdout).toContain('Mean excitation of layer2_se per digit');
  });

  it.skipIf(Boolean(chromiumUnavailableReason()))(
    'renders its terminal output (screenshot in test-output/node-demo/)',
    async (context) => {
      const path = join(TEST_OUTPUT, FULL ? 'terminal-full.png' : 'terminal.png');
      await screenshotTerminal(run.stdout, `$ se-demo ${ARGS.join(' ')}`.trimEnd(), path);
      await context.annotate('se-demo terminal output', { path, contentType: 'image/png' });
    },
  );
});

describe.skipIf(!built)('se-demo command line', () => {
  it('--help prints the usage and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: se-demo \[options\]/);
    for (const option of ['--epochs', '--backend', '--out']) expect(run.stdout).toContain(option);
    // What `pnpm --filter node-demo start -- --help` passes.
    expect((await runCli(['--', '--help'])).code).toBe(0);
  });

  it('a usage error exits 2 and names the option', async () => {
    const run = await runCli(['--backend', 'webgl']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--backend: expected wasm or cpu, received "webgl"');
    const kind = await runCli(['--kind', 'se']);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain(
      `--kind: expected ${EXCITATION_KIND_NAMES.join(', ')}, received "se"`,
    );
  });
});
