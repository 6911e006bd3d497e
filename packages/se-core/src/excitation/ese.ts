import { describeShape } from '../errors/index.js';
import { fromCanonicalWeight, layoutShape } from '../import/layouts.js';
import { readMatrix, readVector } from '../import/read-tensors.js';
import type { TensorLike } from '../import/tensor-map.js';
import { boolean, rejectUnknownFields } from '../spec/fields.js';
import { pytorchHardSigmoid, sigmoidGate } from '../spec/gates.js';
import type { FloatArray } from '../weights/dtypes.js';
import { defineExcitationKind } from './define.js';
import { dense } from './dense.js';
import { biasSlot, matrixSlot } from './slots.js';

/**
 * Effective SE (Lee & Park, CenterMask / VoVNetV2; timm `EffectiveSEModule`),
 * one full C×C layer, `logits = W · d + b` (SPEC.md, "ese").
 */
export interface EseExcitation {
  readonly kind: 'ese';
  readonly bias: boolean;
}

/** `fcWeight` [C, C] row-major (PyTorch Linear layout), `fcBias` [C] exactly when `bias`. */
export type EseWeights = {
  readonly fcWeight: FloatArray;
  readonly fcBias?: FloatArray;
};

/** The `ese` kind: tensors `fc.weight` [C, C] and `fc.bias` [C]. */
export const eseKind = defineExcitationKind<EseExcitation, EseExcitation, EseWeights>()({
  kind: 'ese',
  description: 'effective SE: one C×C layer, W · d + b (VoVNetV2, timm EffectiveSEModule)',
  squeezeModes: ['avg', 'max', 'avgmax'],
  weightKeys: ['fcWeight', 'fcBias'],
  behaviourFields: [],
  parse: (input, ctx) => {
    const value = input as unknown as Record<string, unknown>;
    rejectUnknownFields(value, ['kind', 'bias'], ctx.path);
    return { kind: 'ese', bias: boolean(value.bias, `${ctx.path}.bias`) };
  },
  canonical: (spec) => ({ kind: 'ese', bias: spec.bias }),
  slots: (spec, c) => [
    matrixSlot('fcWeight', 'fc.weight', [c, c], '[C, C]'),
    biasSlot('fcBias', 'fc.bias', c, '[C]', spec.bias),
  ],
  logits: (_spec, weights, d, c, out, round) =>
    dense(weights.fcWeight, weights.fcBias, d, c, c, out, round),
  cost: (spec, c) => ({
    params: c * c + (spec.bias ? c : 0),
    flops: 2 * c * c + (spec.bias ? c : 0),
  }),
  summary: (spec) => (spec.bias ? 'C×C, bias' : 'C×C'),
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'bias'],
    properties: {
      kind: { const: 'ese' },
      bias: { type: 'boolean', description: 'The C×C layer has a bias (timm: always).' },
    },
  },
  readTensors: ({ tensors, convention, names }) => {
    const name = names.fcWeight as string;
    const shape = tensors.get(name)?.shape;
    // Only a square 1×1 layer is an ESE; every classifier head is also called fc.
    if (!Array.isArray(shape) || shape.length !== 4 || shape[2] !== 1 || shape[3] !== 1)
      return undefined;
    if (shape[0] !== shape[1]) {
      return `${describeShape(shape)}: ${convention.name} stores fc as a square [C, C, 1, 1]`;
    }
    const fc = readMatrix(tensors, convention, name);
    if (!fc) return undefined;
    const bias = names.fcBias === undefined ? undefined : readVector(tensors, names.fcBias, fc.out);
    return {
      channels: fc.out,
      excitation: { bias: bias !== undefined },
      weights: bias ? { fcWeight: fc.values, fcBias: bias } : { fcWeight: fc.values },
      layout: fc.layout,
      tensors: bias ? [name, names.fcBias as string] : [name],
    };
  },
  writeTensors: (spec, weights, c, convention) => {
    const layout = convention.layouts[0] ?? 'oihw';
    const out: Record<string, TensorLike> = {
      fcWeight: {
        shape: layoutShape(layout, c, c),
        values: fromCanonicalWeight(weights.fcWeight, layout, c, c),
      },
    };
    if (spec.bias) out.fcBias = { shape: [c], values: (weights.fcBias as FloatArray).slice() };
    return out;
  },
  conventions: {
    'timm-ese': {
      name: 'timm-ese',
      kind: 'ese',
      description:
        'timm EffectiveSEModule <prefix>.fc.weight [C, C, 1, 1] / fc.bias (VoVNetV2, RDNet)',
      separator: '.',
      tensors: { fcWeight: 'fc.weight', fcBias: 'fc.bias' },
      layouts: ['oihw'],
    },
    'timm-hgnet-ese': {
      name: 'timm-hgnet-ese',
      kind: 'ese',
      description: 'timm HGNet EseModule <prefix>.conv.weight [C, C, 1, 1] / conv.bias',
      separator: '.',
      tensors: { fcWeight: 'conv.weight', fcBias: 'conv.bias' },
      layouts: ['oihw'],
      // Every convolution is called conv: only one with a bias can be an EseModule.
      requires: ['fcBias'],
    },
  },
  presets: {
    'timm-ese': {
      name: 'timm-ese',
      description: 'timm EffectiveSEModule (ese_vovnet*, rdnet*): hard_sigmoid (relu6(x + 3) / 6)',
      convention: 'timm-ese',
      gate: pytorchHardSigmoid,
      squeeze: 'avg',
    },
    'timm-hgnet': {
      name: 'timm-hgnet',
      description: 'timm HGNet (v1) EseModule: sigmoid',
      convention: 'timm-hgnet-ese',
      gate: sigmoidGate,
      squeeze: 'avg',
    },
  },
});
