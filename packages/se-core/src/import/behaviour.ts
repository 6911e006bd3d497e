import { describeValue, SEImportError } from '../errors/index.js';
import type { Activation, Gate, SESpec, SqueezeMode } from '../spec/types.js';
import { parseSESpec } from '../spec/validate.js';

/** The part of a spec that weights cannot tell: what runs between and after the two layers. */
export interface SEBehaviour {
  readonly activation: Activation;
  readonly gate: Gate;
  readonly squeeze: SqueezeMode;
  readonly gain: number;
}

/**
 * Checks caller-given behaviour fields with the spec validator, so a bad value
 * fails as an SESpecError naming `options.<field>`, before any tensor is read.
 */
export function checkBehaviourOptions(
  options: Partial<SEBehaviour>,
  path = 'options',
): Partial<SEBehaviour> {
  const given = Object.fromEntries(
    (['activation', 'gate', 'squeeze', 'gain'] as const)
      .filter((key) => options[key] !== undefined)
      .map((key) => [key, options[key]]),
  );
  // Fillers for the missing fields only serve the validator; they are dropped below.
  const spec = parseSESpec(
    {
      version: 1,
      channels: 1,
      reducedChannels: 1,
      bias: true,
      activation: 'relu',
      gate: { type: 'sigmoid' },
      squeeze: 'avg',
      ...given,
    },
    path,
  );
  return Object.fromEntries(
    Object.keys(given).map((key) => [key, spec[key as keyof SESpec]]),
  ) as Partial<SEBehaviour>;
}

/** `__metadata__` key under which exported files keep what their names cannot say. */
export const EXPORT_METADATA_KEY = 'se.export';

/** What an exported file records so it re-imports without a preset. */
export interface ExportMetadata {
  readonly convention: string;
  readonly blocks: ReadonlyMap<string, Partial<SEBehaviour>>;
}

/** JSON text for {@link EXPORT_METADATA_KEY}. */
export function formatExportMetadata(
  convention: string,
  specs: ReadonlyMap<string, SESpec>,
): string {
  const blocks: Record<string, SEBehaviour> = {};
  for (const [prefix, spec] of specs) {
    blocks[prefix] = {
      activation: spec.activation,
      gate: spec.gate,
      squeeze: spec.squeeze,
      gain: spec.gain,
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
  if (
    typeof convention !== 'string' ||
    typeof blocks !== 'object' ||
    blocks === null ||
    Array.isArray(blocks)
  ) {
    throw new SEImportError(field, '{ "convention": string, "blocks": { prefix: spec } }', json);
  }
  const out = new Map<string, Partial<SEBehaviour>>();
  for (const [prefix, behaviour] of Object.entries(blocks as Record<string, unknown>)) {
    if (typeof behaviour !== 'object' || behaviour === null) {
      throw new SEImportError(`${field}.blocks["${prefix}"]`, 'an object', behaviour);
    }
    out.set(
      prefix,
      checkBehaviourOptions(behaviour as Partial<SEBehaviour>, `${field}.blocks["${prefix}"]`),
    );
  }
  return { convention, blocks: out };
}
