import { seededCheckpoint as seededNetworkCheckpoint, seResNet50 } from '@seblock/se-core/networks';
import { IMAGENET_MEAN, IMAGENET_STD } from '../preprocess/config.js';

/**
 * The seed of se-core's network fixtures (packages/se-core/test/fixtures/networks/index.json),
 * so the demo's default checkpoint is the very one whose logits PyTorch computed for those
 * tests: the agreement bounds derived there apply to it.
 */
export const SEEDED_SEED = 20240613;

/** `pretrained_cfg.tag` of the seeded checkpoint's config.json: how a program recognises it. */
export const SEEDED_TAG = 'seblock_seeded';

/**
 * A Hugging Face style `config.json` for the seeded SE-ResNet-50, as timm writes one: the
 * architecture, 1000 classes and the evaluation transform (ImageNet mean and std, bicubic,
 * crop_pct 0.95: the settings of timm's a1_in1k ResNets).
 *
 * @example
 * ```ts
 * await writeFile('config.json', JSON.stringify(seededConfig(), null, 2));
 * ```
 */
export function seededConfig(): Record<string, unknown> {
  return {
    architecture: 'seresnet50',
    num_classes: 1000,
    num_features: 2048,
    global_pool: 'avg',
    pretrained_cfg: {
      tag: SEEDED_TAG,
      input_size: [3, 224, 224],
      interpolation: 'bicubic',
      crop_pct: 0.95,
      crop_mode: 'center',
      mean: [...IMAGENET_MEAN],
      std: [...IMAGENET_STD],
      num_classes: 1000,
      first_conv: 'conv1',
      classifier: 'fc',
    },
    seblock: {
      seed: SEEDED_SEED,
      note: "se-core's seeded weights (seededStateDict), not trained: the classes are meaningless.",
    },
  };
}

/** Whether a config.json is {@link seededConfig}'s (so a page or a CLI can say the classes mean nothing). */
export function isSeededConfig(config: Readonly<Record<string, unknown>> | undefined): boolean {
  const cfg = config?.pretrained_cfg as { tag?: unknown } | undefined;
  return cfg?.tag === SEEDED_TAG;
}

/**
 * A full-size timm SE-ResNet-50 `model.safetensors` (112 MB, PyTorch's names, shapes and dtypes,
 * I64 `num_batches_tracked` included) made from se-core's seeded weights: deterministic, no
 * download, never committed. About 1–3 s to make.
 *
 * @example
 * ```ts
 * await writeFile('model.safetensors', seededCheckpoint());
 * ```
 */
export function seededCheckpoint(): Uint8Array {
  return seededNetworkCheckpoint(seResNet50({ numClasses: 1000 }), SEEDED_SEED);
}
