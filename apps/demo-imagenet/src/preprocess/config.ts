import { SEImportError } from '@seblock/se-core';
import { INTERPOLATIONS, type Interpolation } from '../image/resample.js';

/** How an image becomes the network's input: timm's evaluation transform, field by field. */
export interface PreprocessConfig {
  /** [height, width] of the network input. */
  readonly inputSize: readonly [number, number];
  readonly interpolation: Interpolation;
  /** The crop covers this fraction of the resized image (timm: resize to floor(size / crop_pct)). */
  readonly cropPct: number;
  /** 'center': resize the shorter side, then crop the middle; 'squash': resize both sides, then crop. */
  readonly cropMode: 'center' | 'squash';
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
  /** The fields that came from the checkpoint's config.json (the others are timm's defaults). */
  readonly fromConfig: readonly string[];
}

/** The ImageNet channel statistics timm and torchvision normalise with. */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/** timm's defaults (`resolve_data_config`) for a field a config leaves out. */
export const TIMM_DEFAULTS: PreprocessConfig = Object.freeze({
  inputSize: [224, 224] as const,
  interpolation: 'bicubic',
  cropPct: 0.875,
  cropMode: 'center',
  mean: IMAGENET_MEAN,
  std: IMAGENET_STD,
  fromConfig: [],
});

const FIELD = 'config.json pretrained_cfg';

function triple(value: unknown, name: string, positive: boolean): [number, number, number] {
  if (
    !Array.isArray(value) ||
    value.length !== 3 ||
    !value.every((v) => typeof v === 'number' && Number.isFinite(v) && (!positive || v > 0))
  )
    throw new SEImportError(`${FIELD}.${name}`, `3 ${positive ? 'positive ' : ''}numbers`, value);
  return value as [number, number, number];
}

/**
 * Reads the preprocessing a checkpoint asks for from its Hugging Face `config.json`
 * (`pretrained_cfg`: `input_size`, `interpolation`, `crop_pct`, `crop_mode`, `mean`, `std`), with
 * timm's defaults for what it leaves out. A field it gives but this demo cannot follow is an
 * SEImportError naming the field.
 *
 * @example
 * ```ts
 * const cfg = preprocessConfig({ pretrained_cfg: { crop_pct: 0.95, interpolation: 'bicubic' } });
 * cfg.cropPct; // 0.95
 * ```
 */
export function preprocessConfig(config: Readonly<Record<string, unknown>> = {}): PreprocessConfig {
  const raw = config.pretrained_cfg;
  if (raw === undefined) return TIMM_DEFAULTS;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new SEImportError(FIELD, 'an object', raw);
  const cfg = raw as Record<string, unknown>;
  const fromConfig: string[] = [];
  const pick = <T>(name: string, read: (v: unknown) => T, fallback: T): T => {
    if (cfg[name] === undefined || cfg[name] === null) return fallback;
    fromConfig.push(name);
    return read(cfg[name]);
  };
  const inputSize = pick(
    'input_size',
    (v) => {
      if (
        !Array.isArray(v) ||
        v.length !== 3 ||
        v[0] !== 3 ||
        !v.every((d) => Number.isInteger(d) && d > 0)
      )
        throw new SEImportError(`${FIELD}.input_size`, '[3, height, width]', v);
      return [v[1], v[2]] as [number, number];
    },
    TIMM_DEFAULTS.inputSize,
  );
  const interpolation = pick(
    'interpolation',
    (v) => {
      if (!INTERPOLATIONS.includes(v as Interpolation))
        throw new SEImportError(`${FIELD}.interpolation`, `one of ${INTERPOLATIONS.join(', ')}`, v);
      return v as Interpolation;
    },
    TIMM_DEFAULTS.interpolation,
  );
  const cropPct = pick(
    'crop_pct',
    (v) => {
      if (typeof v !== 'number' || !(v > 0 && v <= 1))
        throw new SEImportError(`${FIELD}.crop_pct`, 'a number in (0, 1]', v);
      return v;
    },
    TIMM_DEFAULTS.cropPct,
  );
  const cropMode = pick(
    'crop_mode',
    (v) => {
      if (v !== 'center' && v !== 'squash')
        throw new SEImportError(`${FIELD}.crop_mode`, '"center" or "squash"', v);
      return v;
    },
    TIMM_DEFAULTS.cropMode,
  );
  const mean = pick('mean', (v) => triple(v, 'mean', false), TIMM_DEFAULTS.mean);
  const std = pick('std', (v) => triple(v, 'std', true), TIMM_DEFAULTS.std);
  return { inputSize, interpolation, cropPct, cropMode, mean, std, fromConfig };
}
