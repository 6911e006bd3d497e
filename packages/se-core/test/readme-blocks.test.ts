// Every ```ts block of the README compiles against the built package and runs as written
// (tooling/readme-blocks.ts); the files the blocks read are stand-ins made from fixtures.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeReadmeBlocks } from '../../../tooling/readme-blocks.js';
import { encodeSEBundle } from '../src/index.js';
import { TINY_BLOCK } from './arbitraries.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const importFixture = (name: string) => join(packageDir, 'test', 'fixtures', 'import', name);

describeReadmeBlocks({
  packageDir,
  minBlocks: 8,
  standIns: (dir) => {
    // A whole timm SE-ResNet state_dict (int64 BatchNorm counters included).
    copyFileSync(importFixture('timm-seresnet.safetensors'), join(dir, 'model.safetensors'));
    copyFileSync(
      importFixture('torchvision-mobilenetv3.safetensors'),
      join(dir, 'senet154.safetensors'),
    );
    writeFileSync(
      join(dir, 'se-blocks.safetensors'),
      encodeSEBundle({ 'layer1.0.se': TINY_BLOCK }),
    );
  },
});
