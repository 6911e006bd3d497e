import { SESpecError } from '../errors/index.js';

/**
 * timm / torchvision `make_divisible`: round `value` to the nearest multiple of
 * `divisor` (at least `minValue`), then add one `divisor` if rounding went down
 * by more than `1 - roundLimit` (torchvision uses 0.9; timm SEModule passes 0).
 */
export function makeDivisible(
  value: number,
  divisor = 8,
  minValue = divisor,
  roundLimit = 0.9,
): number {
  // Python: int(v + d / 2) // d * d  — int() truncates toward zero.
  let rounded = Math.max(minValue, Math.floor(Math.trunc(value + divisor / 2) / divisor) * divisor);
  if (rounded < roundLimit * value) rounded += divisor;
  return rounded;
}

/** Python 3 `round()` on a float: halves go to the even neighbour. */
export function pythonRound(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * How real code derives the hidden width of the excitation MLP. Each preset
 * reproduces one codebase exactly (SPEC.md, "How the reduced width is chosen by codebase").
 */
export type ReductionRule =
  /** Hu et al., official Caffe, Cadene `senet.py`, moskomule: `C // ratio` (ratio 16). */
  | { readonly preset: 'paper'; readonly ratio?: number }
  /** timm `SEModule`: `make_divisible(C * ratio, divisor, round_limit=0)` (ratio 1/16, divisor 8). */
  | { readonly preset: 'timm-se'; readonly ratio?: number; readonly divisor?: number }
  /** timm EfficientNet `SqueezeExcite`: Python `round(C * ratio)` (ratio 0.25; C is the block input). */
  | { readonly preset: 'timm-efficientnet'; readonly ratio?: number }
  /** torchvision MobileNetV3: `_make_divisible(C // 4, 8)` (C is the expanded width). */
  | { readonly preset: 'torchvision-mobilenetv3' }
  /** torchvision EfficientNet: `max(1, C // 4)` (C is the block input). */
  | { readonly preset: 'torchvision-efficientnet' }
  /** Keras EfficientNet: `max(1, int(C * ratio))` (ratio 0.25; C is the block input). */
  | { readonly preset: 'keras-efficientnet'; readonly ratio?: number };

export type ReductionPresetName = ReductionRule['preset'];
export const REDUCTION_PRESETS: readonly ReductionPresetName[] = [
  'paper',
  'timm-se',
  'timm-efficientnet',
  'torchvision-mobilenetv3',
  'torchvision-efficientnet',
  'keras-efficientnet',
];

function positiveRatio(ratio: number, field: string): number {
  if (!Number.isFinite(ratio) || ratio <= 0)
    throw new SESpecError(field, 'a finite number > 0', ratio);
  return ratio;
}

/**
 * The hidden width (`reducedChannels`) that a codebase would build for `channels`.
 * For the EfficientNet presets pass the *block input* width, as those codebases do.
 *
 * @example
 * ```ts
 * resolveReducedChannels(256, 'paper');                          // 16
 * resolveReducedChannels(64, { preset: 'timm-se' });             // 8
 * resolveReducedChannels(72, 'torchvision-mobilenetv3');         // 24
 * ```
 */
export function resolveReducedChannels(
  channels: number,
  rule: ReductionRule | ReductionPresetName,
): number {
  if (!Number.isInteger(channels) || channels < 1) {
    throw new SESpecError('channels', 'an integer >= 1', channels);
  }
  const r: ReductionRule = typeof rule === 'string' ? ({ preset: rule } as ReductionRule) : rule;
  let reduced: number;
  switch (r.preset) {
    case 'paper': {
      const ratio = positiveRatio(r.ratio ?? 16, 'rule.ratio');
      reduced = Math.floor(channels / ratio);
      break;
    }
    case 'timm-se':
      reduced = makeDivisible(
        channels * positiveRatio(r.ratio ?? 1 / 16, 'rule.ratio'),
        r.divisor ?? 8,
        undefined,
        0,
      );
      break;
    case 'timm-efficientnet':
      reduced = pythonRound(channels * positiveRatio(r.ratio ?? 0.25, 'rule.ratio'));
      break;
    case 'torchvision-mobilenetv3':
      reduced = makeDivisible(Math.floor(channels / 4), 8);
      break;
    case 'torchvision-efficientnet':
      reduced = Math.max(1, Math.floor(channels / 4));
      break;
    case 'keras-efficientnet':
      reduced = Math.max(1, Math.trunc(channels * positiveRatio(r.ratio ?? 0.25, 'rule.ratio')));
      break;
    default:
      throw new SESpecError(
        'rule.preset',
        `one of ${REDUCTION_PRESETS.join(', ')}`,
        (r as { preset: unknown }).preset,
      );
  }
  if (reduced < 1) {
    throw new SESpecError(
      'reducedChannels',
      `>= 1, but rule "${r.preset}" gives ${reduced} for ${channels} channels (the original code would build an empty layer)`,
      reduced,
    );
  }
  return reduced;
}
