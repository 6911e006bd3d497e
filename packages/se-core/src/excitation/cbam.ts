import { sigmoidGate } from '../spec/gates.js';
import { resolveReducedChannels } from '../spec/reduction.js';
import { defineExcitationKind } from './define.js';
import { type MlpWeights, type TwoLayerFields, twoLayerKindParts } from './two-layer.js';
import { readTwoLayer, writeTwoLayer } from './two-layer-tensors.js';

/**
 * CBAM channel attention (Woo et al. 2018; timm `ChannelAttn`; SPEC.md, "cbam"):
 * the same MLP as `mlp`, applied to the avg AND the max descriptor (squeeze
 * `avg+max`), the two logits summed before the gate, so `b2` counts twice.
 */
export interface CbamExcitation extends TwoLayerFields {
  readonly kind: 'cbam';
}

/** The `cbam` kind: MLP weights and tensor names as `mlp`, squeeze `avg+max` only. */
export const cbamKind = defineExcitationKind<CbamExcitation, CbamExcitation, MlpWeights>()({
  ...twoLayerKindParts('cbam'),
  description: 'CBAM channel attention: one MLP on avg and max, logits summed (timm ChannelAttn)',
  squeezeModes: ['avg+max'],
  readTensors: (input) => {
    const block = readTwoLayer(input);
    const { tensors, prefix, convention } = input;
    const spatial = `${prefix}${convention.separator}spatial${convention.separator}`;
    if (typeof block === 'string' || ![...tensors.keys()].some((n) => n.startsWith(spatial))) {
      return block;
    }
    // CbamModule = ChannelAttn then SpatialAttn; only the first is a channel gate.
    const warning = `block "${prefix}": only the channel attention was imported; the CBAM spatial attention (${spatial}*) is not an SE block and must run after it`;
    return { ...block, warnings: [warning] };
  },
  writeTensors: writeTwoLayer,
  conventions: {
    'timm-cbam': {
      name: 'timm-cbam',
      kind: 'cbam',
      description:
        'timm CbamModule <prefix>.channel.fc1.* / channel.fc2.* (Conv2d 1×1; attn_layer="cbam")',
      separator: '.',
      tensors: {
        fc1Weight: 'channel.fc1.weight',
        fc1Bias: 'channel.fc1.bias',
        fc2Weight: 'channel.fc2.weight',
        fc2Bias: 'channel.fc2.bias',
      },
      layouts: ['oihw'],
    },
  },
  presets: {
    'timm-cbam': {
      name: 'timm-cbam',
      description:
        'timm CbamModule channel attention (ResNets built with attn_layer="cbam"): ReLU, sigmoid, C/16',
      convention: 'timm-cbam',
      activation: 'relu',
      gate: sigmoidGate,
      squeeze: 'avg+max',
      // ChannelAttn: make_divisible(C / 16, divisor 1, round_limit 0).
      expected: (channels) => ({
        reducedChannels: resolveReducedChannels(channels, {
          preset: 'timm-se',
          ratio: 1 / 16,
          divisor: 1,
        }),
      }),
    },
  },
});
