import { EXCITATION_KIND_NAMES, excitationKind } from '../excitation/registry.js';
import { MAX_CHANNELS } from './fields.js';
import { GATE_TYPES, SQUEEZE_MODES } from './types.js';

// The JSON Schema of version-2 specs, assembled from the kinds' fragments.
// schema/se-spec.v2.schema.json is this object written by
// scripts/write-spec-schema.mjs; a test fails when the two differ.

const GATE_SCHEMA = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: { type: { const: GATE_TYPES[0] } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'alpha', 'beta'],
      description:
        'clamp(alpha * z + beta, 0, 1). Always explicit: PyTorch uses alpha 1/6, ONNX and Keras 2 default to 0.2.',
      properties: {
        type: { const: GATE_TYPES[1] },
        alpha: { type: 'number', not: { const: 0 } },
        beta: { type: 'number' },
      },
    },
  ],
};

/**
 * The JSON Schema (2020-12) of a version-2 spec as `parseSESpec` accepts it
 * (defaults may be left out). `parseSESpec` stays authoritative: it also
 * checks what a schema cannot say (`reducedChannels <= max(channels, 8)`).
 *
 * @example
 * ```ts
 * const validate = new Ajv2020().compile(specJSONSchema());
 * ```
 */
export function specJSONSchema(): Record<string, unknown> {
  const kinds = EXCITATION_KIND_NAMES.map((name) => excitationKind(name));
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://seblock.dev/schema/se-spec.v2.schema.json',
    title: 'SE block spec, version 2',
    description:
      'y = x * gain * gate(sum over the squeeze descriptors d of logits(d)); logits by excitation.kind. Generated from the excitation kinds of @seblock/se-core (scripts/write-spec-schema.mjs); its parseSESpec is authoritative and also requires reducedChannels <= max(channels, 8).',
    type: 'object',
    additionalProperties: false,
    required: ['version', 'channels', 'excitation', 'gate'],
    properties: {
      version: { const: 2 },
      channels: {
        type: 'integer',
        minimum: 1,
        maximum: MAX_CHANNELS,
        description: 'C, the channel count of x.',
      },
      squeeze: {
        enum: [...SQUEEZE_MODES],
        description:
          "avgmax = 0.5 * avg + 0.5 * max (timm add_maxpool); avg+max = both, each through the excitation, logits summed (CBAM). Each kind accepts some; left out: the kind's first.",
      },
      excitation: {
        type: 'object',
        description: `One of the excitation kinds: ${kinds.map((k) => `${k.kind} (${k.description})`).join('; ')}.`,
      },
      gate: GATE_SCHEMA,
      gain: { type: 'number', default: 1, description: 'e = gain * gate(...); NFNet uses 2.' },
    },
    // One branch per kind: its excitation fields and the squeeze modes it accepts (cbam: avg+max only).
    oneOf: kinds.map((kind) => ({
      type: 'object',
      properties: {
        excitation: kind.schema,
        squeeze: { enum: [...kind.squeezeModes] },
      },
    })),
  };
}
