import {
  defineSESpec,
  pytorchHardSigmoid,
  resolveReducedChannels,
  type SEBlock,
  type SESpec,
  sigmoidGate,
} from '@seblock/se-core';

/** One benchmark workload: an SE block and the NCHW shape of x. */
export interface BenchCase {
  /** Short id, e.g. `resnet-56x256-b8`. */
  readonly id: string;
  readonly description: string;
  readonly shape: readonly [number, number, number, number];
  readonly spec: SESpec;
  /** The SE-REFERENCE.md workload (8×256×56×56), where the targets are judged. */
  readonly headline: boolean;
}

// ResNet-50's four stages (output widths 256, 512, 1024, 2048 at 56², 28², 14², 7²), the
// paper's block (avg, ReLU, sigmoid, bias, r = 16), and a MobileNetV3-Large stage-3 block
// (120 expanded channels at 28², torchvision's reduction and hard-sigmoid).
const RESNET_STAGES: readonly [number, number][] = [
  [56, 256],
  [28, 512],
  [14, 1024],
  [7, 2048],
];

function resnetSpec(channels: number): SESpec {
  return defineSESpec({
    version: 1,
    channels,
    reducedChannels: resolveReducedChannels(channels, 'paper'),
    squeeze: 'avg',
    activation: 'relu',
    gate: sigmoidGate,
    bias: true,
  });
}

function mobilenetSpec(channels: number): SESpec {
  return defineSESpec({
    version: 1,
    channels,
    reducedChannels: resolveReducedChannels(channels, 'torchvision-mobilenetv3'),
    squeeze: 'avg',
    activation: 'relu',
    gate: pytorchHardSigmoid,
    bias: true,
  });
}

/** Every case of a full run (batch 1 and 8), or the two of a `--quick` run. */
export function benchCases(quick: boolean): BenchCase[] {
  const out: BenchCase[] = [];
  for (const batch of [1, 8]) {
    for (const [size, channels] of RESNET_STAGES) {
      out.push({
        id: `resnet-${size}x${channels}-b${batch}`,
        description: `ResNet-50 stage, ${batch}×${channels}×${size}×${size}, r = 16`,
        shape: [batch, channels, size, size],
        spec: resnetSpec(channels),
        headline: batch === 8 && channels === 256,
      });
    }
    out.push({
      id: `mobilenetv3-28x120-b${batch}`,
      description: `MobileNetV3 hard-sigmoid block, ${batch}×120×28×28`,
      shape: [batch, 120, 28, 28],
      spec: mobilenetSpec(120),
      headline: false,
    });
  }
  return quick ? out.filter((c) => c.headline || c.id === 'resnet-7x2048-b1') : out;
}

/** Deterministic data (a linear congruential generator: fast for 6.4 M values). */
export function uniform(length: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = scale * (s / 2 ** 31 - 1);
  }
  return out;
}

/** Weights at a trained layer's scale (±1/√fan_in). */
export function blockFor(spec: SESpec, seed = 1): SEBlock {
  const { channels: c, reducedChannels: rd } = spec;
  return {
    spec,
    weights: {
      fc1Weight: uniform(rd * c, seed, 1 / Math.sqrt(c)),
      fc1Bias: uniform(rd, seed + 1, 0.1),
      fc2Weight: uniform(c * rd, seed + 2, 1 / Math.sqrt(rd)),
      fc2Bias: uniform(c, seed + 3, 0.1),
    },
  };
}

export const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
