import type { ExcitationKindName, ExcitationSpecOf } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { sumAdd, sumDeclare, sumResult } from '../shader/accumulate.js';
import { rejectRule, type TfjsExcitationKind } from './kind.js';

// The k-tap 1-D convolution across channels that ECA-like kinds share in TF.js, no bias:
// logits[c] = Σ_j w[j] · d[c + j − (k−1)/2], the channels past either end being zeros (eca) or
// the channels wrapped around (ceca). Written as k shifted slices of the padded descriptors
// rather than tf.conv1d, whose gradient (Conv2DBackpropFilter) the wasm backend lacks; k is
// small (3 to 9 in ECA-Net and timm), and the taps add in se-core's order.

/** The kinds whose excitation is such a convolution (a `kernelSize` field). */
type ChannelConvKind = {
  [K in ExcitationKindName]: ExcitationSpecOf<K> extends { readonly kernelSize: number }
    ? K
    : never;
}[ExcitationKindName];

/** What the taps meet past the channel ends: zeros (eca), or the channels wrapped around (ceca). */
export type ChannelPadding = 'zeros' | 'circular';

/** d [M, C] with `pad` columns on each side; circular needs pad ≤ C (se-core's ceca rule). */
function padChannels(d: tf.Tensor2D, pad: number, padding: ChannelPadding): tf.Tensor2D {
  if (padding === 'zeros')
    return tf.pad(d, [
      [0, 0],
      [pad, pad],
    ]);
  if (pad === 0) return d;
  const [m, c] = d.shape;
  return tf.concat([tf.slice(d, [0, c - pad], [m, pad]), d, tf.slice(d, [0, 0], [m, pad])], 1);
}

/** View j of d [M, C] meets tap j: d[:, c + j − (k−1)/2], past the ends as `padding` says. */
function shifted(d: tf.Tensor2D, k: number, padding: ChannelPadding): (j: number) => tf.Tensor2D {
  const [m, c] = d.shape;
  const padded = padChannels(d, (k - 1) / 2, padding);
  return (j) => tf.slice(padded, [0, j], [m, c]);
}

/** d [M, C] ⋆ w [k] → [M, C]. */
function correlate(d: tf.Tensor2D, w: tf.Tensor1D, padding: ChannelPadding): tf.Tensor2D {
  const k = w.shape[0];
  const view = shifted(d, k, padding);
  let out = tf.mul(tf.slice(w, [0], [1]), view(0)) as tf.Tensor2D;
  for (let j = 1; j < k; j++) out = tf.add(out, tf.mul(tf.slice(w, [j], [1]), view(j)));
  return out;
}

/**
 * The TF.js module of an ECA-like kind: weight `convWeight` [k], held by the layer as
 * `conv/kernel`; `kernelSize` left out is ECA-Net's adaptive size (se-core).
 */
export function channelConvKind<K extends ChannelConvKind>(
  kind: K,
  padding: ChannelPadding,
): TfjsExcitationKind<K> {
  return {
    kind,
    kernelKeys: {},
    layerWeights: { convWeight: { name: 'conv/kernel', initializer: 'kernel' } },
    logits: (ctx, d) => correlate(d, ctx.weights.convWeight as tf.Tensor1D, padding),
    backward: (ctx, d, g) => {
      const w = ctx.weights.convWeight as tf.Tensor1D;
      const k = w.shape[0];
      // dL/dd is g correlated with the reversed taps, past the ends as the forward pass
      // (zeros, or wrapped around); dL/dw[j] = Σ g[m, c] · d[m, c + j − pad].
      const view = shifted(d, k, padding);
      const taps = Array.from({ length: k }, (_, j) => tf.sum(tf.mul(g, view(j))));
      return {
        descriptors: correlate(g, tf.reverse(w), padding),
        weights: { convWeight: tf.stack(taps) },
      };
    },
    shaderStages: ({ excitation, channels, dialect: d }) => {
      const k = (excitation as { readonly kernelSize: number }).kernelSize;
      const pad = (k - 1) / 2;
      const term = sumAdd('z', 'getConvWeight(j) * getDescriptors(row, i)', d);
      // Zeros add nothing; wrapped around, i is off by at most C (pad ≤ C).
      const tap =
        padding === 'zeros'
          ? `${d.local('i', `col + j - ${pad}`, 'int')}
            if (i >= 0 && i < ${channels}) { ${term} }`
          : `${d.variable('i', `col + j - ${pad}`, 'int')}
            if (i < 0) { i += ${channels}; }
            if (i >= ${channels}) { i -= ${channels}; }
            ${term}`;
      return [
        {
          name: 'logits',
          inputs: ['descriptors', 'convWeight'],
          columns: channels,
          functions: '',
          body: `${sumDeclare('z', d)}
          ${d.loop('j', '0', String(k), tap)}`,
          value: sumResult('z', d),
        },
      ];
    },
    layerExcitation: (input, ctx) => {
      rejectRule(ctx, kind);
      return { ...input, kind } as never;
    },
  };
}
