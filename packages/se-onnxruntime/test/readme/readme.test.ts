// The README's checkpoint example, run as written: the committed example file is the README's
// code block byte for byte (so `pnpm typecheck` compiles the block), and it runs here on a
// full-size SE-ResNet-50 state_dict written as model.safetensors (se-core's seeded weights).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import {
  type CheckpointTensor,
  float32Tensor,
  int64Tensor,
  seededStateDict,
  seResNet50,
  stateDictSchema,
  writeCheckpoint,
} from '../../../se-core/src/networks/index.js';
import { createModelSession } from '../../src/index.js';
import { buildNetworkModel } from '../../src/networks/index.js';
import { NETWORK_FIXTURES } from '../support/networks.js';

const example = readFileSync(new URL('./checkpoint.example.ts', import.meta.url), 'utf8');
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'se-onnx-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('has the example as one of its code blocks, at most 10 lines', () => {
  expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  expect(example.trim().split('\n').length).toBeLessThanOrEqual(10);
});

it('runs the example on a full-size SE-ResNet-50 checkpoint', { timeout: 120_000 }, async () => {
  const network = seResNet50();
  const weights = seededStateDict(network, NETWORK_FIXTURES.seed);
  const tensors = new Map<string, CheckpointTensor>();
  for (const { name, shape } of stateDictSchema(network)) {
    const values = weights.get(name);
    tensors.set(
      name,
      values instanceof BigInt64Array
        ? int64Tensor(shape, values)
        : float32Tensor(shape, values as Float32Array),
    );
  }
  writeFileSync(join(dir, 'model.safetensors'), writeCheckpoint(tensors));
  const printed: unknown[][] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args) => void printed.push(args));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    await import('./checkpoint.example.js');
  } finally {
    process.chdir(cwd);
    log.mockRestore();
  }
  // The same weights through the lower-level API give the same class for the same image.
  const session = await createModelSession(buildNetworkModel(network, weights), {
    runtime: 'node',
  });
  const logits = await session.run(new Float32Array(3 * 224 * 224), [1, 3, 224, 224]);
  await session.dispose();
  expect(printed).toEqual([['class', logits.indexOf(Math.max(...logits))]]);
});
