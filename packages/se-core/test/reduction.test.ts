import { describe, expect, it } from 'vitest';
import {
  keras2HardSigmoid,
  makeDivisible,
  onnxDefaultHardSigmoid,
  pythonRound,
  pytorchHardSigmoid,
  resolveReducedChannels,
  SESpecError,
} from '../src/index.js';

// Widths pinned from real networks. torchvision values were read off Debian's
// torchvision 0.14 models (fc1 of every SqueezeExcitation: [in, out]).
describe('resolveReducedChannels presets reproduce real networks', () => {
  it('torchvision MobileNetV3-Small and -Large: make_divisible(expanded // 4, 8)', () => {
    const small: [number, number][] = [
      [16, 8],
      [96, 24],
      [240, 64],
      [120, 32],
      [144, 40],
      [288, 72],
      [576, 144],
    ];
    const large: [number, number][] = [
      [72, 24],
      [120, 32],
      [480, 120],
      [672, 168],
      [960, 240],
    ];
    for (const [expanded, reduced] of [...small, ...large]) {
      expect(
        resolveReducedChannels(expanded, 'torchvision-mobilenetv3'),
        `expanded ${expanded}`,
      ).toBe(reduced);
    }
  });

  it('torchvision EfficientNet-B0: max(1, blockInput // 4)', () => {
    // block input width → squeeze width, as built by torchvision efficientnet_b0
    const b0: [number, number][] = [
      [32, 8],
      [16, 4],
      [24, 6],
      [40, 10],
      [80, 20],
      [112, 28],
      [192, 48],
    ];
    for (const [input, reduced] of b0)
      expect(resolveReducedChannels(input, 'torchvision-efficientnet')).toBe(reduced);
    expect(resolveReducedChannels(3, 'torchvision-efficientnet')).toBe(1);
  });

  it('paper / Cadene / moskomule: C // 16, and other ratios', () => {
    expect(resolveReducedChannels(256, 'paper')).toBe(16); // SE-ResNet-50 layer1
    expect(resolveReducedChannels(2048, 'paper')).toBe(128); // layer4
    expect(resolveReducedChannels(100, { preset: 'paper', ratio: 16 })).toBe(6); // floor, not round
    expect(resolveReducedChannels(64, { preset: 'paper', ratio: 8 })).toBe(8);
    expect(() => resolveReducedChannels(8, 'paper')).toThrow(SESpecError); // 8 // 16 = 0: an empty layer
  });

  it('timm SEModule: make_divisible(C / 16, 8, round_limit=0)', () => {
    expect(resolveReducedChannels(256, 'timm-se')).toBe(16);
    expect(resolveReducedChannels(64, 'timm-se')).toBe(8);
    expect(resolveReducedChannels(4, 'timm-se')).toBe(8); // the floor of 8 exceeds C
    expect(resolveReducedChannels(200, 'timm-se')).toBe(16); // 12.5 → int(16.5)//8*8 = 16
    expect(resolveReducedChannels(184, 'timm-se')).toBe(8); // 11.5 → int(15.5)//8*8 = 8: round_limit 0 never bumps
  });

  it('timm EfficientNet: Python round(), halves to even', () => {
    expect(resolveReducedChannels(32, 'timm-efficientnet')).toBe(8);
    expect(resolveReducedChannels(6, 'timm-efficientnet')).toBe(2); // 1.5 → 2
    expect(resolveReducedChannels(10, 'timm-efficientnet')).toBe(2); // 2.5 → 2 (even)
    expect(resolveReducedChannels(14, 'timm-efficientnet')).toBe(4); // 3.5 → 4
    expect(() => resolveReducedChannels(2, 'timm-efficientnet')).toThrow(SESpecError); // 0.5 → 0
  });

  it('Keras EfficientNet: max(1, int(C * 0.25))', () => {
    expect(resolveReducedChannels(32, 'keras-efficientnet')).toBe(8);
    expect(resolveReducedChannels(6, 'keras-efficientnet')).toBe(1); // int(1.5) truncates
    expect(resolveReducedChannels(1, 'keras-efficientnet')).toBe(1);
  });

  it('rejects a bad channel count or rule with a typed error naming the field', () => {
    expect(() => resolveReducedChannels(0, 'paper')).toThrow(
      /channels: expected an integer >= 1, received 0/,
    );
    expect(() => resolveReducedChannels(64, { preset: 'paper', ratio: 0 })).toThrow(/rule.ratio/);
    expect(() => resolveReducedChannels(64, 'nope' as 'paper')).toThrow(
      /rule.preset: expected one of paper/,
    );
  });
});

describe('make_divisible and Python round', () => {
  it('matches torchvision _make_divisible on values measured with Debian torchvision', () => {
    // torchvision.models._utils._make_divisible(v, 8) for these v gave [8, 16, 16, 40, 8, 104]
    expect([4, 9.6, 12.5, 36, 3.9, 100.1].map((v) => makeDivisible(v, 8))).toEqual([
      8, 16, 16, 40, 8, 104,
    ]);
  });
  it('bumps by one divisor when rounding lost more than 10%', () => {
    expect(makeDivisible(11, 8)).toBe(16); // int(15)//8*8 = 8 < 0.9*11 → 16
    expect(makeDivisible(11, 8, 8, 0)).toBe(8);
  });
  it('rounds halves to even', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, 2.4999, 2.5001].map(pythonRound)).toEqual([
      0, 2, 2, 4, 0, -2, 2, 3,
    ]);
  });
});

describe('gate presets', () => {
  it('state the slopes each framework really uses', () => {
    expect(pytorchHardSigmoid).toEqual({ type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 });
    expect(onnxDefaultHardSigmoid).toEqual({ type: 'hardsigmoid', alpha: 0.2, beta: 0.5 });
    expect(keras2HardSigmoid).toEqual({ type: 'hardsigmoid', alpha: 0.2, beta: 0.5 });
    expect(Object.isFrozen(pytorchHardSigmoid)).toBe(true);
  });
});
