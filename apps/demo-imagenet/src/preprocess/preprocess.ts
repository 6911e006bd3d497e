import { SEImportError } from '@seblock/se-core';
import { centreCrop, resizeImage } from '../image/resample.js';
import type { RgbImage } from '../image/rgb-image.js';
import type { PreprocessConfig } from './config.js';

/** The network input and the picture it was made from. */
export interface Preprocessed {
  /** 1 × 3 × H × W float32, RGB planes, normalised: what PyTorch's model would be fed. */
  readonly input: Float32Array;
  readonly shape: readonly [1, 3, number, number];
  /** The cropped 8-bit picture the network sees (before normalisation), to show it. */
  readonly crop: RgbImage;
  /** The size the image was resized to before cropping, [width, height]. */
  readonly resized: readonly [number, number];
}

/** [width, height] before the crop, as timm's evaluation transform computes it. */
function resizedSize(image: RgbImage, config: PreprocessConfig): [number, number] {
  const [height, width] = config.inputSize;
  const scaleH = Math.floor(height / config.cropPct);
  const scaleW = Math.floor(width / config.cropPct);
  if (config.cropMode === 'squash') return [scaleW, scaleH];
  if (scaleH !== scaleW)
    throw new SEImportError(
      'config.json pretrained_cfg.input_size',
      'a square input with crop_mode "center" (timm then resizes the shorter side)',
      [3, height, width],
    );
  // torchvision's Resize(int): the shorter side becomes `scale`, the longer one int(scale·long/short).
  const { width: w, height: h } = image;
  return w <= h ? [scaleH, Math.floor((scaleH * h) / w)] : [Math.floor((scaleH * w) / h), scaleH];
}

/**
 * timm's evaluation transform, in JavaScript: resize (PIL's filter, shorter side to
 * floor(size / crop_pct), or both sides with crop_mode 'squash'), centre crop to the input size,
 * scale to [0, 1] and normalise each channel with the config's mean and std, in float32 as
 * torchvision's ToTensor and Normalize do. The result is NCHW, PyTorch's layout.
 *
 * @example
 * ```ts
 * const { input, shape } = preprocess(decodeImage(bytes, 'cat.jpg'), preprocessConfig(config));
 * const logits = await session.runArray(input, shape);
 * ```
 */
export function preprocess(image: RgbImage, config: PreprocessConfig): Preprocessed {
  const [height, width] = config.inputSize;
  const resized = resizedSize(image, config);
  const crop = centreCrop(resizeImage(image, ...resized, config.interpolation), width, height);
  return { input: normalise(crop, config), shape: [1, 3, height, width], crop, resized };
}

/**
 * torchvision's `ToTensor` + `Normalize` of an 8-bit RGB picture, in float32 step by step as
 * PyTorch computes them (v / 255, minus the mean, divided by the std): NCHW planes.
 *
 * @example
 * ```ts
 * const planes = normalise(crop, { mean: IMAGENET_MEAN, std: IMAGENET_STD });
 * ```
 */
export function normalise(
  image: RgbImage,
  config: Pick<PreprocessConfig, 'mean' | 'std'>,
): Float32Array {
  const plane = image.width * image.height;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const mean = Math.fround(config.mean[c] as number);
    const std = Math.fround(config.std[c] as number);
    for (let p = 0; p < plane; p++) {
      const unit = Math.fround((image.data[3 * p + c] as number) / 255);
      out[c * plane + p] = Math.fround(unit - mean) / std;
    }
  }
  return out;
}
