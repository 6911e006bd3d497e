import { SESpecError } from '../errors/index.js';
import { activationFunction } from '../reference/functions.js';
import {
  boolean,
  MAX_CHANNELS,
  oneOf,
  positiveInteger,
  rejectUnknownFields,
} from '../spec/fields.js';
import { ACTIVATIONS, type Activation, MAKE_DIVISIBLE_FLOOR } from '../spec/primitives.js';
import type { FloatArray } from '../weights/dtypes.js';
import { dense } from './dense.js';
import type { ExcitationCost, KindParseContext, Rounding, WeightSlot } from './kind.js';
import { biasSlot, matrixSlot } from './slots.js';

// The two-layer MLP W2·act(W1·d + b1) + b2 that kinds mlp (SE) and cbam (CBAM
// channel attention) share: fields, weights, logits, cost and schema.

/** The fields of a two-layer MLP excitation. */
export interface TwoLayerFields {
  /** Hidden width (W1: [reducedChannels, C]), already resolved (see resolveReducedChannels). */
  readonly reducedChannels: number;
  readonly activation: Activation;
  /** Both layers have a bias, or neither. */
  readonly bias: boolean;
}

/**
 * The weights of a two-layer MLP in the canonical layout (PyTorch `Linear`):
 * `fc1Weight` is [reducedChannels, C] row-major, `fc2Weight` is [C, reducedChannels].
 * Biases are present exactly when the excitation has `bias: true`.
 */
export type MlpWeights = {
  readonly fc1Weight: FloatArray;
  readonly fc1Bias?: FloatArray;
  readonly fc2Weight: FloatArray;
  readonly fc2Bias?: FloatArray;
};

export const TWO_LAYER_KEYS = ['fc1Weight', 'fc1Bias', 'fc2Weight', 'fc2Bias'] as const;
const FIELDS = ['kind', 'reducedChannels', 'activation', 'bias'];

export function parseTwoLayer(input: unknown, ctx: KindParseContext): TwoLayerFields {
  const value = input as Record<string, unknown>;
  rejectUnknownFields(value, FIELDS, ctx.path);
  const reducedChannels = positiveInteger(value.reducedChannels, `${ctx.path}.reducedChannels`);
  if (reducedChannels > Math.max(ctx.channels, MAKE_DIVISIBLE_FLOOR)) {
    throw new SESpecError(
      `${ctx.path}.reducedChannels`,
      `at most channels (${ctx.channels}), or at most ${MAKE_DIVISIBLE_FLOOR} for layers narrower than that (make_divisible's floor)`,
      reducedChannels,
    );
  }
  return {
    reducedChannels,
    activation: oneOf(value.activation, ACTIVATIONS, `${ctx.path}.activation`),
    bias: boolean(value.bias, `${ctx.path}.bias`),
  };
}

export function twoLayerSlots(spec: TwoLayerFields, c: number): WeightSlot[] {
  const rd = spec.reducedChannels;
  return [
    matrixSlot('fc1Weight', 'fc1.weight', [rd, c], '[reducedChannels, C]'),
    biasSlot('fc1Bias', 'fc1.bias', rd, '[reducedChannels]', spec.bias),
    matrixSlot('fc2Weight', 'fc2.weight', [c, rd], '[C, reducedChannels]'),
    biasSlot('fc2Bias', 'fc2.bias', c, '[C]', spec.bias),
  ];
}

/** logits = W2 · act(W1 · d + b1) + b2, every step through `round` ({@link dense}). */
export function twoLayerLogits(
  spec: TwoLayerFields,
  weights: MlpWeights,
  d: ArrayLike<number>,
  c: number,
  out: Float64Array,
  round: Rounding,
): void {
  const rd = spec.reducedChannels;
  const act = activationFunction(spec.activation, round);
  const hidden = new Float64Array(rd);
  dense(weights.fc1Weight, weights.fc1Bias, d, rd, c, hidden, round);
  for (let j = 0; j < rd; j++) hidden[j] = act(hidden[j] as number);
  dense(weights.fc2Weight, weights.fc2Bias, hidden, c, rd, out, round);
}

export function twoLayerCost(spec: TwoLayerFields, c: number): ExcitationCost {
  const rd = spec.reducedChannels;
  const biases = spec.bias ? rd + c : 0;
  return { params: 2 * rd * c + biases, flops: 4 * rd * c + biases + rd };
}

export function twoLayerSummary(spec: TwoLayerFields): string {
  return `rd ${spec.reducedChannels}, ${spec.activation}${spec.bias ? ', bias' : ''}`;
}

/** JSON-schema properties of the two-layer fields (the kind adds its `kind` const). */
export const TWO_LAYER_SCHEMA_PROPERTIES = {
  reducedChannels: {
    type: 'integer',
    minimum: 1,
    maximum: MAX_CHANNELS,
    description:
      'Hidden width (W1: [reducedChannels, C]), already resolved; parseSESpec also requires reducedChannels <= max(channels, 8).',
  },
  activation: {
    enum: [...ACTIVATIONS],
    description: 'gelu is the exact erf form; hardswish is x * relu6(x + 3) / 6.',
  },
  bias: { type: 'boolean', description: 'Both layers have a bias, or neither.' },
} as const;

/**
 * Everything the kinds mlp and cbam share, given the kind's name: they differ
 * only in squeeze modes, description, import names (and CBAM's warning).
 */
export function twoLayerKindParts<K extends 'mlp' | 'cbam'>(kind: K) {
  return {
    kind,
    weightKeys: TWO_LAYER_KEYS,
    behaviourFields: ['activation'] as const,
    parse: (input: unknown, ctx: KindParseContext) => ({ kind, ...parseTwoLayer(input, ctx) }),
    canonical: (spec: TwoLayerFields) => ({
      kind,
      reducedChannels: spec.reducedChannels,
      activation: spec.activation,
      bias: spec.bias,
    }),
    slots: twoLayerSlots,
    logits: twoLayerLogits,
    cost: twoLayerCost,
    summary: twoLayerSummary,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'reducedChannels', 'activation', 'bias'],
      properties: { kind: { const: kind }, ...TWO_LAYER_SCHEMA_PROPERTIES },
    },
  };
}
