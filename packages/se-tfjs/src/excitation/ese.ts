import * as tf from '@tensorflow/tfjs-core';
import { denseProduct, matMulExplicitB, weightGradient } from '../math/dense.js';
import { sumAdd, sumDeclare, sumResult } from '../shader/accumulate.js';
import { getter, type KindContext, rejectRule, type TfjsExcitationKind } from './kind.js';

// Effective SE (se-core kind `ese`): one C×C layer, logits = W · d + b.

function parts(ctx: KindContext) {
  return {
    w: ctx.weights.fcWeight as tf.Tensor2D,
    b: ctx.weights.fcBias as tf.Tensor1D | undefined,
    canonical: !ctx.kernelLayout,
  };
}

/** The `ese` kind in TF.js: weights `fcWeight` [C, C] (or `fcKernel`, [in, out]), `fcBias`. */
export const eseTfjs: TfjsExcitationKind<'ese'> = {
  kind: 'ese',
  kernelKeys: { fcWeight: 'fcKernel' },
  layerWeights: {
    fcWeight: { name: 'fc/kernel', initializer: 'kernel' },
    fcBias: { name: 'fc/bias', initializer: 'bias' },
  },
  logits: (ctx, d) => {
    const { w, b, canonical } = parts(ctx);
    const z = denseProduct(d, w, canonical);
    return b ? tf.add(z, b) : z;
  },
  backward: (ctx, d, g) => {
    const { w, b, canonical } = parts(ctx);
    return {
      descriptors: matMulExplicitB(g, w, !canonical),
      weights: {
        fcWeight: weightGradient(d, g, canonical),
        ...(b ? { fcBias: tf.sum(g, 0) } : {}),
      },
    };
  },
  shaderStages: ({ excitation, channels, kernelLayout, dialect: d }) => {
    const w = kernelLayout ? `${getter('fcWeight')}(k, col)` : `${getter('fcWeight')}(col, k)`;
    return [
      {
        name: 'logits',
        inputs: ['descriptors', 'fcWeight', ...(excitation.bias ? ['fcBias'] : [])],
        columns: channels,
        functions: '',
        body: `${sumDeclare('z', d, excitation.bias ? `${getter('fcBias')}(col)` : '0.0')}
          ${d.loop('k', '0', String(channels), sumAdd('z', `${w} * getDescriptors(row, k)`, d))}`,
        value: sumResult('z', d),
      },
    ];
  },
  // timm's EffectiveSEModule always has the bias.
  layerExcitation: (input, ctx) => {
    rejectRule(ctx, 'ese');
    return { kind: 'ese', bias: true, ...input } as never;
  },
};
