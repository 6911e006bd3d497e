// Every ```ts block of the README compiles against the built package and runs in Node as
// written (tooling/readme-blocks.ts). The files a block reads are stand-ins: a full-size
// SE-ResNet-50 checkpoint with seeded weights, and se-core's torchvision MobileNetV3 importer
// fixture.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededCheckpoint, seResNet50 } from '@seblock/se-core/networks';
import { describeReadmeBlocks } from '../../../tooling/readme-blocks.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const importFixtures = join(packageDir, '..', 'se-core', 'test', 'fixtures', 'import');

describeReadmeBlocks({
  packageDir,
  minBlocks: 6,
  // The checkpoint example builds and runs a full-size SE-ResNet-50.
  runTimeoutMs: 110_000,
  standIns: (dir) => {
    writeFileSync(join(dir, 'model.safetensors'), seededCheckpoint(seResNet50(), 7));
    copyFileSync(
      join(importFixtures, 'torchvision-mobilenetv3.safetensors'),
      join(dir, 'mobilenet_v3.safetensors'),
    );
  },
});
