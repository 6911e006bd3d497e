import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededCheckpoint, seededConfig } from 'demo-imagenet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtures } from '../../../packages/se-core/test/fixtures/networks/http-server.js';
import { chromiumUnavailableReason } from '../../../tooling/chromium.js';
import {
  checkAgainstPyTorch,
  PYTORCH_SAMPLE,
} from '../../demo-imagenet/test/support/pytorch-sample.js';
import type { ClassifySummary } from '../src/classify/classify.js';
import { CLI, TEST_OUTPUT } from './support/paths.js';
import { type Run, runCli } from './support/run-cli.js';
import { screenshotTerminal } from './support/screenshot.js';

const built = existsSync(CLI);
const SE_CORE_SMALL = new URL(
  '../../../packages/se-core/test/fixtures/networks/seresnet50-small.safetensors',
  import.meta.url,
);

/** The answers of a run, as the agreement rule takes them. */
const answersOf = (summary: ClassifySummary) =>
  summary.backends.map((b) => ({ backend: b.label, logits: Float32Array.from(b.logits) }));

describe.skipIf(!built)(
  'se-demo classify: the sample, the seeded SE-ResNet-50, four backends',
  () => {
    let scratch: string;
    let run: Run;
    let summary: ClassifySummary;

    beforeAll(async () => {
      scratch = await mkdtemp(join(tmpdir(), 'node-demo-classify-'));
      run = await runCli(['classify', '--json', join(scratch, 'summary.json'), '--color']);
      if (run.code !== 0)
        throw new Error(`se-demo classify exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
      summary = JSON.parse(
        await readFile(join(scratch, 'summary.json'), 'utf8'),
      ) as ClassifySummary;
      await mkdir(TEST_OUTPUT, { recursive: true });
      await writeFile(join(TEST_OUTPUT, 'classify.txt'), run.stdout);
      process.stdout.write(
        `[node-demo] se-demo classify: ${run.seconds.toFixed(1)} s; ${summary.backends
          .map(
            (b) => `${b.label} load ${b.loadSeconds.toFixed(2)} s run ${b.runSeconds.toFixed(2)} s`,
          )
          .join(', ')}; peak ${summary.peakRssMB.toFixed(0)} MB\n`,
      );
    });
    afterAll(async () => {
      if (scratch) await rm(scratch, { recursive: true, force: true });
    });

    it('runs every backend, and says the seeded weights make the classes meaningless', () => {
      expect(summary.backends.map((b) => b.id)).toEqual([
        'tfjs-cpu',
        'tfjs-wasm',
        'ort-node',
        'ort-web',
      ]);
      expect(summary.failed).toEqual([]);
      expect(summary.checkpoint).toMatchObject({
        architecture: 'seresnet50',
        numClasses: 1000,
        seeded: true,
      });
      expect(summary.preprocess).toMatchObject({
        resized: [313, 235],
        input: [1, 3, 224, 224],
        interpolation: 'bicubic',
      });
      expect(run.stdout).toContain('Not trained');
      expect(run.stdout).toMatch(/Top-5 per backend/);
      expect(run.stdout).toMatch(/All 4 backends give the same top-1/);
    });

    it("gives PyTorch's answer on every backend, and the same answer on each pair", () => {
      const report = checkAgainstPyTorch(answersOf(summary));
      process.stdout.write(
        `[node-demo] vs PyTorch float64 (allowed ${report.toleranceUlps.toFixed(1)} ULPs): ${report.vsPyTorch
          .map((b) => `${b.backend} ${b.ulps.toFixed(2)}`)
          .join(', ')}; pairs (allowed ${report.pairwiseBoundUlps.toFixed(1)}): ${report.pairs
          .map((p) => `${p.a}↔${p.b} ${p.ulps.toFixed(2)}`)
          .join(', ')}\n`,
      );
      expect(report.problems).toEqual([]);
      // With the sample's margins (far above the bound) the lists are not merely compatible: equal.
      for (const b of summary.backends)
        expect(
          b.top.map((c) => c.index),
          b.label,
        ).toEqual(PYTORCH_SAMPLE.top5);
      expect(summary.pairs).toHaveLength(6);
      for (const pair of summary.pairs)
        expect(pair).toMatchObject({ sameTop1: true, overlap: 5, sameOrder: true });
    });

    it.skipIf(Boolean(chromiumUnavailableReason()))(
      'renders its terminal output (screenshot in test-output/node-demo/classify.png)',
      async (context) => {
        const path = join(TEST_OUTPUT, 'classify.png');
        await screenshotTerminal(run.stdout, '$ se-demo classify', path);
        await context.annotate('se-demo classify terminal output', {
          path,
          contentType: 'image/png',
        });
      },
    );
  },
);

describe.skipIf(!built)('se-demo classify: checkpoints from a folder and a URL', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'node-demo-checkpoint-'));
    await writeFile(join(folder, 'model.safetensors'), seededCheckpoint());
    await writeFile(join(folder, 'config.json'), JSON.stringify(seededConfig()));
  });
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('reads model.safetensors and config.json from a folder', async () => {
    const json = join(folder, 'summary.json');
    const run = await runCli([
      'classify',
      '--checkpoint',
      folder,
      '--backends',
      'ort-node',
      '--json',
      json,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(await readFile(json, 'utf8')) as ClassifySummary;
    expect(summary.checkpoint).toMatchObject({
      source: join(folder, 'model.safetensors'),
      seeded: true,
    });
    expect(summary.backends[0]?.top.map((c) => c.index)).toEqual(PYTORCH_SAMPLE.top5);
  });

  it('downloads a Hugging Face style folder with a progress bar', async () => {
    const server = await serveFixtures({
      '/seresnet50/config.json': { body: new TextEncoder().encode(JSON.stringify(seededConfig())) },
      '/seresnet50/model.safetensors': { body: seededCheckpoint() },
    });
    try {
      const run = await runCli([
        'classify',
        '--checkpoint',
        `${server.url}/seresnet50`,
        '--backends',
        'ort-node',
      ]);
      expect(run.code, run.stderr).toBe(0);
      // Not a terminal: only the finished bar is printed.
      expect(run.stdout).toMatch(/download █+ 100% 112\.6 MB\/112\.6 MB/);
      expect(run.stdout).toContain(`checkpoint  ${server.url}/seresnet50`);
    } finally {
      await server.close();
    }
  });
});

describe.skipIf(!built)('se-demo classify: bad input is one line and exit status 3', () => {
  const oneLine = (run: Run) => {
    expect(run.code, run.stdout).toBe(3);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    return lines[0] as string;
  };

  it('a missing image, a file that is not an image', async () => {
    expect(oneLine(await runCli(['classify', 'no-such.png']))).toBe(
      'se-demo classify: InputFileError: image no-such.png: no such file',
    );
    expect(oneLine(await runCli(['classify', 'package.json']))).toMatch(
      /^se-demo classify: ImageDecodeError: package\.json: expected a PNG or JPEG image, received \d+ bytes starting 7b 0a/,
    );
  });

  it('a checkpoint that is missing, not safetensors, or of another network', async () => {
    expect(oneLine(await runCli(['classify', '--checkpoint', 'nowhere/model.safetensors']))).toBe(
      'se-demo classify: InputFileError: checkpoint nowhere/model.safetensors: no such file or folder',
    );
    expect(oneLine(await runCli(['classify', '--checkpoint', 'package.json']))).toMatch(
      /^se-demo classify: CheckpointError: checkpoint package\.json: SEWeightFormatError: /,
    );
    // The reduced-width twin's state_dict: every tensor name fits, no shape does.
    const line = oneLine(await runCli(['classify', '--checkpoint', SE_CORE_SMALL.pathname]));
    expect(line).toMatch(
      /CheckpointError: checkpoint .*seresnet50-small\.safetensors: SEStateDictError: stateDict: .*of another shape: conv1\.weight \[1, 3, 7, 7\] \(expected \[64, 3, 7, 7\]\)/,
    );
    expect(line.length).toBeLessThanOrEqual(420);
  });

  it('usage errors exit 2; --help exits 0', async () => {
    const bad = await runCli(['classify', '--backends', 'tfjs-webgl']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '--backends: expected names from tfjs-cpu, tfjs-wasm, ort-node, ort-web, received "tfjs-webgl"',
    );
    const help = await runCli(['classify', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: se-demo classify \[IMAGE\] \[options\]/);
    expect((await runCli(['--help'])).stdout).toContain('se-demo classify [IMAGE] [options]');
  });
});
