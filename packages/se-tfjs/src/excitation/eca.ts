import * as tf from '@tensorflow/tfjs-core';
import { sumAdd, sumDeclare, sumResult } from '../shader/accumulate.js';
import { rejectRule, type TfjsExcitationKind } from './kind.js';

// ECA-Net (se-core kind `eca`): a k-tap 1-D convolution across channels, zero padded,
// logits[c] = Σ_j w[j] · d[c + j − (k−1)/2], no bias. Written as k shifted slices of the
// padded descriptors rather than tf.conv1d, whose gradient (Conv2DBackpropFilter) the wasm
// backend lacks; k is small (3 to 9 in ECA-Net and timm), and the taps add in se-core's order.

/** View j of d [M, C] meets tap j: d[:, c + j − (k−1)/2], zero outside [0, C). */
function shifted(d: tf.Tensor2D, k: number): (j: number) => tf.Tensor2D {
  const [m, c] = d.shape;
  const pad = (k - 1) / 2;
  const padded = tf.pad(d, [
    [0, 0],
    [pad, pad],
  ]);
  return (j) => tf.slice(padded, [0, j], [m, c]);
}

/** d [M, C] ⋆ w [k] → [M, C]. */
function correlate(d: tf.Tensor2D, w: tf.Tensor1D): tf.Tensor2D {
  const k = w.shape[0];
  const view = shifted(d, k);
  let out = tf.mul(tf.slice(w, [0], [1]), view(0)) as tf.Tensor2D;
  for (let j = 1; j < k; j++) out = tf.add(out, tf.mul(tf.slice(w, [j], [1]), view(j)));
  return out;
}

/** The `eca` kind in TF.js: weight `convWeight` [k], held by the layer as `conv/kernel`. */
export const ecaTfjs: TfjsExcitationKind<'eca'> = {
  kind: 'eca',
  kernelKeys: {},
  layerWeights: { convWeight: { name: 'conv/kernel', initializer: 'kernel' } },
  logits: (ctx, d) => correlate(d, ctx.weights.convWeight as tf.Tensor1D),
  backward: (ctx, d, g) => {
    const w = ctx.weights.convWeight as tf.Tensor1D;
    const k = w.shape[0];
    // dL/dd is g correlated with the reversed taps; dL/dw[j] = Σ g[m, c] · d[m, c + j − pad].
    const view = shifted(d, k);
    const taps = Array.from({ length: k }, (_, j) => tf.sum(tf.mul(g, view(j))));
    return {
      descriptors: correlate(g, tf.reverse(w)),
      weights: { convWeight: tf.stack(taps) },
    };
  },
  shaderStages: ({ excitation, channels, dialect: d }) => {
    const k = excitation.kernelSize;
    const pad = (k - 1) / 2;
    return [
      {
        name: 'logits',
        inputs: ['descriptors', 'convWeight'],
        columns: channels,
        functions: '',
        body: `${sumDeclare('z', d)}
          ${d.loop(
            'j',
            '0',
            String(k),
            `${d.local('i', `col + j - ${pad}`, 'int')}
            if (i >= 0 && i < ${channels}) { ${sumAdd('z', 'getConvWeight(j) * getDescriptors(row, i)', d)} }`,
          )}`,
        value: sumResult('z', d),
      },
    ];
  },
  // ECA-Net's adaptive kernel size (se-core) when the spec leaves it out.
  layerExcitation: (input, ctx) => {
    rejectRule(ctx, 'eca');
    return { ...input, kind: 'eca' } as never;
  },
};
