import { SESpecError } from '../errors/index.js';
import { rejectUnknownFields } from '../spec/fields.js';
import { sigmoidGate } from '../spec/gates.js';
import { defineExcitationKind } from './define.js';
import {
  channelConvLogits,
  ECA_CONV_PARTS,
  type EcaKernelSizeOptions,
  type EcaWeights,
  ecaExcitationSchema,
  ecaKernelSize,
  parseEcaKernelSize,
} from './eca.js';

/**
 * Circular ECA (timm `CecaModule`), SPEC.md "ceca": ECA's k-tap 1-D convolution across
 * channels with the channels wrapped around instead of zero padded,
 * `logits[c] = Σ_j w[j] · d[(c + j − (k−1)/2) mod C]`, no bias.
 */
export interface CecaExcitation {
  readonly kind: 'ceca';
  /** Odd, ≥ 1, with (k − 1)/2 ≤ channels; the normalised spec always stores the integer. */
  readonly kernelSize: number;
}

/** The excitation as users may write it: `kernelSize` left out (ECA-Net's adaptive size) or given as options. */
export interface CecaExcitationInput {
  readonly kind: 'ceca';
  readonly kernelSize?: number | EcaKernelSizeOptions;
}

/** `convWeight` of shape `[k]`, the Conv1d taps, as eca's: `w[0]` meets channel `c − (k−1)/2` (mod C). */
export type CecaWeights = EcaWeights;

/** The `ceca` kind: tensor `conv.weight` [k] ([1, 1, k] as PyTorch's Conv1d stores it, on read). */
export const cecaKind = defineExcitationKind<CecaExcitation, CecaExcitationInput, CecaWeights>()({
  kind: 'ceca',
  description:
    'circular ECA: a k-tap 1-D convolution across channels wrapped around, no bias (timm CecaModule)',
  ...ECA_CONV_PARTS,
  parse: (input, ctx) => {
    const value = input as unknown as Record<string, unknown>;
    rejectUnknownFields(value, ['kind', 'kernelSize'], ctx.path);
    const path = `${ctx.path}.kernelSize`;
    const k = parseEcaKernelSize(value.kernelSize, ctx.channels, path);
    // PyTorch's circular F.pad refuses to wrap around more than once (pad > C).
    if ((k - 1) / 2 > ctx.channels) {
      throw new SESpecError(
        path,
        `an odd integer whose (k − 1)/2 is at most channels (${ctx.channels}): circular padding wraps around once at most, as PyTorch's`,
        k,
      );
    }
    return { kind: 'ceca', kernelSize: k };
  },
  canonical: (spec) => ({ kind: 'ceca', kernelSize: spec.kernelSize }),
  // The tap past either end meets the channel at the other end.
  logits: channelConvLogits('circular'),
  schema: {
    ...ecaExcitationSchema('ceca'),
    description: 'kernelSize k must also have (k − 1)/2 ≤ channels, which a schema cannot state.',
  },
  conventions: {
    'timm-ceca': {
      name: 'timm-ceca',
      kind: 'ceca',
      description:
        "timm CecaModule <prefix>.conv.weight [1, 1, k] (PyTorch Conv1d, no bias); the names are timm-eca's: used only when named",
      separator: '.',
      tensors: { convWeight: 'conv.weight' },
      layouts: [],
      // timm-eca's very names: an ECA checkpoint must never be taken for circular ECA.
      onlyWhenNamed: true,
    },
  },
  presets: {
    'timm-ceca': {
      name: 'timm-ceca',
      description:
        "timm CecaModule (attn_layer='ceca') in a ResNet (<block>.se): sigmoid; C from the block's last norm",
      convention: 'timm-ceca',
      gate: sigmoidGate,
      squeeze: 'avg',
      // ResNet Bottleneck: bn3; BasicBlock: bn2.
      channelsFrom: ['bn3.weight', 'bn2.weight'],
      expected: (channels) => ({ kernelSize: ecaKernelSize(channels, { rule: 'timm' }) }),
    },
  },
});
