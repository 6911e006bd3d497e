import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeGoldenCase, type SEBlockInput, seReference } from '@seblock/se-core';

export const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
/** Screenshots and reports a person may want to look at after a run. */
export const TEST_OUTPUT = fileURLToPath(
  new URL('../../../test-output/se-conformance/', import.meta.url),
);

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a user would (`node dist/cli/main.js …`). */
export function runCli(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 2 ** 20 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** A deterministic pseudo-random float in [-1, 1). */
function noise(seed: number): number {
  const s = Math.sin(seed * 12.9898 + 78.233) * 43758.5453;
  return 2 * (s - Math.floor(s)) - 1;
}

/**
 * Writes a directory of "foreign" golden cases, as a user would: their own
 * block and input, y from se-core's float64 reference. `perturb` adds a value
 * to one expected element of the first case.
 */
export async function writeForeignCases(perturb = 0): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'se-conformance-cases-'));
  const specs = [
    {
      channels: 6,
      reducedChannels: 2,
      squeeze: 'avg',
      activation: 'relu',
      gate: { type: 'sigmoid' },
      bias: true,
      shape: [2, 6, 3, 4],
    },
    {
      channels: 8,
      reducedChannels: 8,
      squeeze: 'avgmax',
      activation: 'hardswish',
      gate: { type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 },
      bias: false,
      shape: [1, 8, 5, 5],
    },
  ] as const;
  let index = 0;
  for (const { shape, ...fields } of specs) {
    const spec = { version: 1, gain: 1, ...fields } as const;
    const c = spec.channels;
    const rd = spec.reducedChannels;
    const weights = {
      fc1Weight: Float32Array.from({ length: rd * c }, (_, i) => noise(i + 1)),
      fc2Weight: Float32Array.from({ length: c * rd }, (_, i) => noise(i + 101)),
      ...(spec.bias
        ? {
            fc1Bias: Float32Array.from({ length: rd }, (_, i) => noise(i + 201)),
            fc2Bias: Float32Array.from({ length: c }, (_, i) => noise(i + 301)),
          }
        : {}),
    };
    const block: SEBlockInput = { spec, weights };
    const x = Float32Array.from(
      { length: (shape as readonly number[]).reduce((a, b) => a * b, 1) },
      (_, i) => 3 * noise(i + 1000 * (index + 1)),
    );
    const y = seReference(spec, weights, x, shape);
    if (index === 0) y[5] = (y[5] as number) + perturb;
    const bytes = encodeGoldenCase({
      info: { name: `foreign-${index}`, source: 'se-core seReference float64' },
      block,
      shape,
      x,
      y,
    });
    await writeFile(join(directory, `foreign-${index}.safetensors`), bytes);
    index++;
  }
  return directory;
}
