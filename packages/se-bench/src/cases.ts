import {
  type ImportPresetName,
  NAMING_CONVENTIONS,
  type NamingConventionName,
  parseSESpec,
  pytorchHardSigmoid,
  resolveImportPreset,
  resolveReducedChannels,
  type SEBlock,
  type SESpec,
  sigmoidGate,
  weightSlots,
} from '@seblock/se-core';

/** One benchmark workload: an SE block and the NCHW shape of x. */
export interface BenchCase {
  /** Short id, e.g. `resnet-56x256-b8` (mlp) or `eca-56x256-b8`. */
  readonly id: string;
  readonly description: string;
  readonly shape: readonly [number, number, number, number];
  readonly spec: SESpec;
  /** The SE-REFERENCE.md workload (8×256×56×56, the SE MLP), where the targets are judged. */
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
  return parseSESpec({
    version: 2,
    channels,
    squeeze: 'avg',
    excitation: {
      kind: 'mlp',
      reducedChannels: resolveReducedChannels(channels, 'paper'),
      activation: 'relu',
      bias: true,
    },
    gate: sigmoidGate,
  });
}

function mobilenetSpec(channels: number): SESpec {
  return parseSESpec({
    version: 2,
    channels,
    squeeze: 'avg',
    excitation: {
      kind: 'mlp',
      reducedChannels: resolveReducedChannels(channels, 'torchvision-mobilenetv3'),
      activation: 'relu',
      bias: true,
    },
    gate: pytorchHardSigmoid,
  });
}

/**
 * The other excitation kinds as timm builds them in a ResNet, from se-core's import presets
 * (squeeze, gate, gain, activation, and what the module derives from C: ECA's kernel size,
 * CBAM's C/16); `excitation` holds what the weights would say (the bias).
 */
const TIMM_KINDS: readonly {
  readonly preset: ImportPresetName;
  readonly excitation: Readonly<Record<string, unknown>>;
  readonly module: string;
}[] = [
  { preset: 'timm-ese', excitation: { bias: true }, module: 'timm EffectiveSEModule' },
  { preset: 'timm-eca', excitation: {}, module: 'timm EcaModule' },
  { preset: 'timm-ceca', excitation: {}, module: 'timm CecaModule' },
  { preset: 'timm-cbam', excitation: { bias: false }, module: 'timm CbamModule channel attention' },
];

function presetSpec(name: ImportPresetName, excitation: object, channels: number): SESpec {
  const preset = resolveImportPreset(name);
  const kind = NAMING_CONVENTIONS[preset.convention as NamingConventionName].kind;
  return parseSESpec({
    version: 2,
    channels,
    squeeze: preset.squeeze,
    excitation: {
      kind,
      ...(preset.activation ? { activation: preset.activation } : {}),
      ...preset.expected?.(channels),
      ...excitation,
    },
    gate: preset.gate,
    gain: preset.gain ?? 1,
  });
}

/**
 * Every case of a full run, or the smoke set of a `--quick` run (the headline block, and
 * stage 4 at batch 1 for every kind). The SE MLP runs on every stage at batch 1 and 8 and on
 * the MobileNetV3 block; ESE, ECA and CBAM on the headline shape and on stage 4 at batch 1.
 */
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
  for (const { preset, excitation, module } of TIMM_KINDS) {
    for (const [batch, size, channels] of [
      [8, 56, 256],
      [1, 7, 2048],
    ] as const) {
      const spec = presetSpec(preset, excitation, channels);
      out.push({
        id: `${spec.excitation.kind}-${size}x${channels}-b${batch}`,
        description: `${module} (${spec.excitation.kind}, squeeze ${spec.squeeze}), ${batch}×${channels}×${size}×${size}`,
        shape: [batch, channels, size, size],
        spec,
        headline: false,
      });
    }
  }
  return quick ? out.filter((c) => c.headline || c.id.endsWith('-7x2048-b1')) : out;
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

/**
 * Weights of any kind at a trained layer's scale: each weight ±1/√fan_in (its last
 * dimension: a matrix's inputs, ECA's kernel taps), biases ±0.1.
 */
export function blockFor(spec: SESpec, seed = 1): SEBlock {
  const weights: Record<string, Float32Array> = {};
  for (const [i, slot] of weightSlots(spec).entries()) {
    if (!slot.present) continue;
    const isBias = slot.shape.length === 1 && slot.key.endsWith('Bias');
    const scale = isBias ? 0.1 : 1 / Math.sqrt(slot.shape.at(-1) as number);
    weights[slot.key] = uniform(sizeOf(slot.shape), seed + i, scale);
  }
  return { spec, weights };
}

export const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
