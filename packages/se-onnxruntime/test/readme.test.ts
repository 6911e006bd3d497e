// Every ```ts block of the README compiles against the built package and runs in Node as
// written, through the shared checker (tooling/readme-blocks.ts). The files a block reads
// (resnet.onnx, se-block.safetensors, …) are stand-ins written next to it from the fixtures.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeSEWeights } from '@seblock/se-core';
import { seededCheckpoint, seResNet50 } from '@seblock/se-core/networks';
import { describe, expect, it } from 'vitest';
import { describeReadmeBlocks, readmeBlocks } from '../../../tooling/readme-blocks.js';
import { NETWORK_FIXTURES } from './support/networks.js';
import { randomBlock } from './support/random.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fixtures = join(packageDir, 'test', 'fixtures');

/** The files the README's blocks read, written where they run. */
function writeStandIns(dir: string): void {
  for (const [name, fixture] of [
    ['resnet.onnx', 'resnet.onnx'],
    ['se-resnet.onnx', 'se-resnet.onnx'],
    ['mobilenet_v3_small.onnx', 'mobilenet_v3_small.onnx'],
    ['resnet-se.safetensors', 'resnet-se-weights.safetensors'],
    ['attention.onnx', 'attention-kinds.onnx'],
  ] as const)
    copyFileSync(join(fixtures, fixture), join(dir, name));
  for (const [name, channels] of [
    ['se-block.safetensors', 64],
    ['se-16.safetensors', 16],
  ] as const) {
    const block = randomBlock({ channels, reducedChannels: channels / 4 }, channels);
    writeFileSync(join(dir, name), encodeSEWeights(block));
  }
  // A full-size timm SE-ResNet-50 state_dict from se-core's seeded weights (112 MB, not committed).
  writeFileSync(
    join(dir, 'model.safetensors'),
    seededCheckpoint(seResNet50(), NETWORK_FIXTURES.seed),
  );
}

describeReadmeBlocks({ packageDir, standIns: writeStandIns, minBlocks: 5 });

describe('README', () => {
  it('shows the checkpoint path (PyTorch state_dict to logits) in at most 10 lines', () => {
    const checkpoint = readmeBlocks(join(packageDir, 'README.md')).filter((b) =>
      b.code.includes('loadNetworkSession('),
    );
    expect(checkpoint.length).toBeGreaterThanOrEqual(1);
    expect(checkpoint[0]?.code.trim().split('\n').length).toBeLessThanOrEqual(10);
  });
});
