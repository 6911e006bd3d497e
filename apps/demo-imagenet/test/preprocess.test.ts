import { describe, expect, it } from 'vitest';
import {
  centreCrop,
  decodeImage,
  IMAGENET_MEAN,
  IMAGENET_STD,
  normalise,
  preprocess,
  preprocessConfig,
  type RgbImage,
  resizeImage,
  seededConfig,
  TIMM_DEFAULTS,
} from '../src/index.js';
import { byteDifference, fixtureImage, PIL_INDEX, sampleBytes } from './support/fixtures.js';

describe('resizeImage: PIL 9.4 resampling, byte for byte (scripts/pil_fixtures.py)', () => {
  const noise = fixtureImage('noise.png');
  for (const r of PIL_INDEX.resized) {
    it(`${r.interpolation} 61×47 → ${r.width}×${r.height}`, () => {
      const got = resizeImage(noise, r.width, r.height, r.interpolation);
      // PIL's fixed point (22 fractional bits, round half up per pass) reproduced: the same bytes.
      // Float arithmetic rounded per pass was measured one level off on up to 1% of them.
      expect(byteDifference(got.data, fixtureImage(r.file).data)).toEqual({
        worst: 0,
        differing: 0,
      });
    });
  }
});

describe("preprocess: timm's evaluation transform (torchvision 0.14)", () => {
  const sample = decodeImage(sampleBytes('sample.png'), 'sample.png');

  it('resizes the shorter side to floor(224 / 0.95) = 235 and crops the centre as torchvision does', () => {
    const out = preprocess(sample, preprocessConfig(seededConfig()));
    expect(out.resized).toEqual([313, 235]);
    expect(out.shape).toEqual([1, 3, 224, 224]);
    const pil = fixtureImage(PIL_INDEX.sample_crop.file);
    expect(byteDifference(out.crop.data, pil.data)).toEqual({ worst: 0, differing: 0 });
  });

  it('normalises in float32 exactly as ToTensor + Normalize: the very tensor PyTorch is fed', () => {
    const { input } = preprocess(sample, preprocessConfig(seededConfig()));
    for (const [index, value] of Object.entries(PIL_INDEX.sample_crop.normalised_at))
      expect(input[Number(index)], `value ${index}`).toBe(value);
    let sum = 0;
    for (const v of input) sum += v;
    expect(sum).toBeCloseTo(PIL_INDEX.sample_crop.normalised_sum, 6);
    const mirrored = normalise(fixtureImage(PIL_INDEX.sample_crop.file), {
      mean: IMAGENET_MEAN,
      std: IMAGENET_STD,
    });
    expect(mirrored).toEqual(input);
  });

  it('resizes a portrait picture by its width, and squashes with crop_mode "squash"', () => {
    const tall: RgbImage = {
      width: 100,
      height: 300,
      data: new Uint8Array(100 * 300 * 3),
      format: 'test',
    };
    expect(preprocess(tall, TIMM_DEFAULTS).resized).toEqual([256, 768]); // floor(224 / 0.875) = 256
    const squash = preprocessConfig({
      pretrained_cfg: { crop_mode: 'squash', input_size: [3, 160, 192], crop_pct: 1 },
    });
    const out = preprocess(tall, squash);
    expect(out.resized).toEqual([192, 160]);
    expect(out.shape).toEqual([1, 3, 160, 192]);
  });

  it('crops where torchvision does: round((size − crop) / 2), halves to even', () => {
    const row = (w: number): RgbImage => ({
      width: w,
      height: 1,
      data: Uint8Array.from({ length: w * 3 }, (_, i) => Math.floor(i / 3)),
      format: 'test',
    });
    expect(centreCrop(row(7), 2, 1).data[0]).toBe(2); // (7 − 2) / 2 = 2.5 → 2
    expect(centreCrop(row(9), 2, 1).data[0]).toBe(4); // 3.5 → 4
    expect(() => centreCrop(row(3), 4, 1)).toThrow(RangeError);
  });
});

describe('preprocessConfig', () => {
  it("takes timm's defaults without a pretrained_cfg, and says which fields came from the config", () => {
    expect(preprocessConfig({})).toBe(TIMM_DEFAULTS);
    const cfg = preprocessConfig(seededConfig());
    expect(cfg).toMatchObject({
      inputSize: [224, 224],
      interpolation: 'bicubic',
      cropPct: 0.95,
      cropMode: 'center',
    });
    expect(cfg.fromConfig).toEqual([
      'input_size',
      'interpolation',
      'crop_pct',
      'crop_mode',
      'mean',
      'std',
    ]);
  });

  it('names the field it cannot follow', () => {
    expect(() => preprocessConfig({ pretrained_cfg: { interpolation: 'lanczos' } })).toThrow(
      'config.json pretrained_cfg.interpolation: expected one of bilinear, bicubic, nearest, received "lanczos"',
    );
    expect(() => preprocessConfig({ pretrained_cfg: { crop_pct: 1.5 } })).toThrow(
      /crop_pct: expected a number in \(0, 1\]/,
    );
    expect(() => preprocessConfig({ pretrained_cfg: { std: [1, 0, 1] } })).toThrow(
      /std: expected 3 positive numbers/,
    );
    expect(() => preprocessConfig({ pretrained_cfg: { input_size: [1, 224, 224] } })).toThrow(
      /input_size: expected \[3, height, width\]/,
    );
    expect(() => preprocessConfig({ pretrained_cfg: { crop_mode: 'border' } })).toThrow(
      /crop_mode/,
    );
    expect(() => preprocessConfig({ pretrained_cfg: 'bicubic' })).toThrow(
      /pretrained_cfg: expected an object/,
    );
  });
});
