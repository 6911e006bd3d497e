import { readFileSync } from 'node:fs';
import { buildNetwork, readCheckpoint, stateDictSchema } from '@seblock/se-core/networks';
import { describe, expect, it } from 'vitest';
import {
  classNames,
  isSeededConfig,
  SEEDED_SEED,
  seededCheckpoint,
  seededConfig,
} from '../src/index.js';

const SE_CORE_FIXTURES = new URL(
  '../../../packages/se-core/test/fixtures/networks/index.json',
  import.meta.url,
);

describe('the seeded SE-ResNet-50 checkpoint', () => {
  it("uses the seed of se-core's network fixtures, so their PyTorch numbers apply to it", () => {
    expect(SEEDED_SEED).toBe(JSON.parse(readFileSync(SE_CORE_FIXTURES, 'utf8')).seed);
  });

  it('is a timm state_dict with every tensor the network expects, made the same twice', {
    timeout: 60_000,
  }, () => {
    const first = seededCheckpoint();
    const { tensors, metadata } = readCheckpoint(first);
    const network = buildNetwork(seededConfig().architecture as string, { numClasses: 1000 });
    const schema = stateDictSchema(network);
    expect(tensors.size).toBe(schema.length);
    for (const e of schema) {
      const t = tensors.get(e.name);
      expect(t?.shape, e.name).toEqual(e.shape);
      expect(t?.dtype, e.name).toBe(e.dtype);
    }
    expect(metadata).toEqual({ format: 'pt' });
    expect(first.length).toBeGreaterThan(112e6);
    const second = seededCheckpoint();
    expect(Buffer.compare(first, second)).toBe(0);
  });

  it('has a config.json the loaders read, recognisable as seeded', () => {
    const config = seededConfig();
    expect(config).toMatchObject({ architecture: 'seresnet50', num_classes: 1000 });
    expect(isSeededConfig(config)).toBe(true);
    expect(isSeededConfig({ architecture: 'seresnet50' })).toBe(false);
  });
});

describe('classNames', () => {
  it('gives ImageNet-1k names for 1000 classes, label_names when given, indices otherwise', () => {
    const imagenet = classNames({}, 1000);
    expect(imagenet).toHaveLength(1000);
    expect([imagenet[0], imagenet[1], imagenet[207], imagenet[999]]).toEqual([
      'tench',
      'goldfish',
      'golden retriever',
      'toilet tissue',
    ]);
    expect(classNames({ label_names: ['cat', 'dog'] }, 2)).toEqual(['cat', 'dog']);
    expect(classNames({ label_names: ['cat'] }, 2)).toEqual(['class 0', 'class 1']);
  });
});
