import { describeValue, SEImportError } from '../errors/index.js';
import { kindOfSpec } from '../excitation/registry.js';
import {
  finiteNumber,
  isRecord,
  oneOf,
  parseGate,
  positiveInteger,
  rejectUnknownFields,
} from '../spec/fields.js';
import {
  ACTIVATIONS,
  type Activation,
  type Gate,
  type SESpec,
  SQUEEZE_MODES,
  type SqueezeMode,
} from '../spec/types.js';

/** The part of a spec that weights cannot tell: what runs around the excitation's layers. */
export interface SEBehaviour {
  readonly gate: Gate;
  readonly squeeze: SqueezeMode;
  readonly gain: number;
  /** For kinds with an activation (mlp, cbam). */
  readonly activation?: Activation;
  /** For kinds whose weights do not fix the channel count (eca). */
  readonly channels?: number;
}

const BEHAVIOUR_FIELDS = ['gate', 'squeeze', 'gain', 'activation', 'channels'] as const;

/**
 * Checks caller-given behaviour fields with the spec's field validators, so a
 * bad value fails as an SESpecError naming `options.<field>`, before any
 * tensor is read. Fields left undefined are dropped.
 */
export function checkBehaviourOptions(
  options: Partial<SEBehaviour>,
  path = 'options',
): Partial<SEBehaviour> {
  const out: { -readonly [K in keyof SEBehaviour]?: SEBehaviour[K] } = {};
  const { gate, squeeze, gain, activation, channels } = options;
  if (gate !== undefined) out.gate = parseGate(gate, `${path}.gate`);
  if (squeeze !== undefined) out.squeeze = oneOf(squeeze, SQUEEZE_MODES, `${path}.squeeze`);
  if (gain !== undefined) out.gain = finiteNumber(gain, `${path}.gain`);
  if (activation !== undefined)
    out.activation = oneOf(activation, ACTIVATIONS, `${path}.activation`);
  if (channels !== undefined) out.channels = positiveInteger(channels, `${path}.channels`);
  return out;
}

/** `__metadata__` key under which exported files keep what their names cannot say. */
export const EXPORT_METADATA_KEY = 'se.export';

/** What an exported file records so it re-imports without a preset. */
export interface ExportMetadata {
  readonly convention: string;
  readonly blocks: ReadonlyMap<string, Partial<SEBehaviour>>;
}

/** JSON text for {@link EXPORT_METADATA_KEY}: per block, every spec field the names cannot tell. */
export function formatExportMetadata(
  convention: string,
  specs: ReadonlyMap<string, SESpec>,
): string {
  const blocks: Record<string, SEBehaviour> = {};
  for (const [prefix, spec] of specs) {
    const excitation = spec.excitation as { readonly activation?: Activation };
    blocks[prefix] = {
      ...(kindOfSpec(spec).behaviourFields.includes('activation') && {
        activation: excitation.activation,
      }),
      gate: spec.gate,
      squeeze: spec.squeeze,
      gain: spec.gain,
      channels: spec.channels,
    };
  }
  return JSON.stringify({ convention, blocks });
}

/** Reads {@link EXPORT_METADATA_KEY}; undefined when the file has none (any foreign file). */
export function parseExportMetadata(text: string | undefined): ExportMetadata | undefined {
  if (text === undefined) return undefined;
  const field = `__metadata__["${EXPORT_METADATA_KEY}"]`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SEImportError(
      field,
      'JSON',
      text,
      `${describeValue(text)}, which does not parse: ${(error as Error).message.slice(0, 120)}`,
    );
  }
  const { convention, blocks } = (json ?? {}) as { convention?: unknown; blocks?: unknown };
  if (typeof convention !== 'string' || !isRecord(blocks)) {
    throw new SEImportError(field, '{ "convention": string, "blocks": { prefix: spec } }', json);
  }
  const out = new Map<string, Partial<SEBehaviour>>();
  for (const [prefix, behaviour] of Object.entries(blocks)) {
    const path = `${field}.blocks["${prefix}"]`;
    if (!isRecord(behaviour)) throw new SEImportError(path, 'an object', behaviour);
    rejectUnknownFields(behaviour, BEHAVIOUR_FIELDS, path);
    out.set(prefix, checkBehaviourOptions(behaviour as Partial<SEBehaviour>, path));
  }
  return { convention, blocks: out };
}
