import {
  type Activation,
  type ExcitationKindName,
  type ExcitationSpecOf,
  resolveReducedChannels,
  SESpecError,
  type TwoLayerFields,
} from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { activation, activationDerivative } from '../math/activation.js';
import { denseProduct, matMulExplicitB, weightGradient } from '../math/dense.js';
import { sumAdd, sumDeclare, sumResult } from '../shader/accumulate.js';
import { activationFunctionSource } from '../shader/activation.js';
import {
  getter,
  type KindContext,
  type KindGradients,
  type LayerDefaultsContext,
  type ShaderContext,
  type ShaderStage,
  type TfjsExcitationKind,
} from './kind.js';

// The two-layer MLP W2 · act(W1 · d + b1) + b2 that kinds mlp (SE) and cbam (CBAM channel
// attention) share in TF.js; cbam differs only in its squeeze (avg+max), which is generic.

/** The kinds whose excitation is a two-layer MLP. */
type TwoLayerKind = {
  [K in ExcitationKindName]: ExcitationSpecOf<K> extends TwoLayerFields ? K : never;
}[ExcitationKindName];

interface Weights {
  readonly w1: tf.Tensor2D;
  readonly b1: tf.Tensor1D | undefined;
  readonly w2: tf.Tensor2D;
  readonly b2: tf.Tensor1D | undefined;
}

function weightsOf(ctx: KindContext): Weights {
  const { weights } = ctx;
  return {
    w1: weights.fc1Weight as tf.Tensor2D,
    b1: weights.fc1Bias as tf.Tensor1D | undefined,
    w2: weights.fc2Weight as tf.Tensor2D,
    b2: weights.fc2Bias as tf.Tensor1D | undefined,
  };
}

/** z1 = W1 · d + b1 (before the activation). */
function preActivation(d: tf.Tensor2D, w: Weights, canonical: boolean): tf.Tensor2D {
  const z = denseProduct(d, w.w1, canonical);
  return w.b1 ? tf.add(z, w.b1) : z;
}

function logits(ctx: KindContext, d: tf.Tensor2D): tf.Tensor2D {
  const fields = ctx.excitation as TwoLayerFields;
  const w = weightsOf(ctx);
  const canonical = !ctx.kernelLayout;
  const hidden = activation(preActivation(d, w, canonical), fields.activation);
  const z = denseProduct(hidden, w.w2, canonical);
  return w.b2 ? tf.add(z, w.b2) : z;
}

function backward(ctx: KindContext, d: tf.Tensor2D, gLogits: tf.Tensor2D): KindGradients {
  const fields = ctx.excitation as TwoLayerFields;
  const w = weightsOf(ctx);
  const canonical = !ctx.kernelLayout;
  const z1 = preActivation(d, w, canonical);
  const hidden = activation(z1, fields.activation);
  // logits = hidden · W2ᵀ (canonical) or hidden · W2 (kernel layout).
  const gHidden = matMulExplicitB(gLogits, w.w2, !canonical);
  const gZ1 = tf.mul(gHidden, activationDerivative(z1, fields.activation));
  return {
    descriptors: matMulExplicitB(gZ1, w.w1, !canonical),
    weights: {
      fc1Weight: weightGradient(d, gZ1, canonical),
      fc2Weight: weightGradient(hidden, gLogits, canonical),
      ...(w.b1 ? { fc1Bias: tf.sum(gZ1, 0) } : {}),
      ...(w.b2 ? { fc2Bias: tf.sum(gLogits, 0) } : {}),
    },
  };
}

/** One unit of a dense layer over `count` inputs, compensated (shader/accumulate.ts). */
function denseUnit(
  weight: string,
  input: string,
  bias: string | undefined,
  count: number,
  kernelLayout: boolean,
  ctx: ShaderContext,
): string {
  const d = ctx.dialect;
  // Canonical W [out, in] is read at (col, k); the kernel layout [in, out] at (k, col).
  const w = kernelLayout ? `${getter(weight)}(k, col)` : `${getter(weight)}(col, k)`;
  return `${sumDeclare('z', d, bias ? `${getter(bias)}(col)` : '0.0')}
    ${d.loop('k', '0', String(count), sumAdd('z', `${w} * ${getter(input)}(row, k)`, d))}`;
}

function shaderStages(ctx: ShaderContext): ShaderStage[] {
  const fields = ctx.excitation as TwoLayerFields;
  const { channels, kernelLayout, dialect: d } = ctx;
  const rd = fields.reducedChannels;
  const b1 = fields.bias ? 'fc1Bias' : undefined;
  const b2 = fields.bias ? 'fc2Bias' : undefined;
  return [
    {
      name: 'hidden',
      inputs: ['descriptors', 'fc1Weight', ...(b1 ? [b1] : [])],
      columns: rd,
      functions: activationFunctionSource(fields.activation, d),
      body: denseUnit('fc1Weight', 'descriptors', b1, channels, kernelLayout, ctx),
      value: `act(${sumResult('z', d)})`,
    },
    {
      name: 'logits',
      inputs: ['hidden', 'fc2Weight', ...(b2 ? [b2] : [])],
      columns: channels,
      functions: '',
      body: denseUnit('fc2Weight', 'hidden', b2, rd, kernelLayout, ctx),
      value: sumResult('z', d),
    },
  ];
}

/** The layer's defaults for a two-layer excitation: ReLU, reducedChannels from the rule. */
function layerExcitation(
  input: Readonly<Record<string, unknown>>,
  ctx: LayerDefaultsContext,
  bias: boolean,
): Record<string, unknown> {
  let reducedChannels = input.reducedChannels;
  const { channels, rule } = ctx;
  if (rule !== undefined) {
    const fromRule = resolveReducedChannels(channels, rule);
    if (reducedChannels !== undefined && reducedChannels !== fromRule) {
      const name = typeof rule === 'string' ? rule : rule.preset;
      throw new SESpecError(
        `${ctx.path}.reducedChannels`,
        `${fromRule} (what rule "${name}" gives for ${channels} channels), or leave it out`,
        reducedChannels,
      );
    }
    reducedChannels = fromRule;
  }
  reducedChannels ??= resolveReducedChannels(channels, 'paper');
  return { activation: 'relu' satisfies Activation, bias, ...input, reducedChannels };
}

/**
 * The TF.js module of a two-layer kind. `bias` is the layer's default: true for the SE MLP
 * (Hu et al., torchvision, timm SEModule), false for CBAM (timm ChannelAttn's mlp_bias).
 */
export function twoLayerKind<K extends TwoLayerKind>(
  kind: K,
  bias: boolean,
): TfjsExcitationKind<K> {
  return {
    kind,
    kernelKeys: { fc1Weight: 'fc1Kernel', fc2Weight: 'fc2Kernel' },
    layerWeights: {
      fc1Weight: { name: 'fc1/kernel', initializer: 'kernel' },
      fc1Bias: { name: 'fc1/bias', initializer: 'bias' },
      fc2Weight: { name: 'fc2/kernel', initializer: 'kernel' },
      fc2Bias: { name: 'fc2/bias', initializer: 'bias' },
    },
    logits,
    backward,
    shaderStages,
    layerExcitation: (input, ctx) =>
      ({ ...layerExcitation(input, ctx, bias), kind }) as ReturnType<
        TfjsExcitationKind<K>['layerExcitation']
      >,
  };
}
