import { SEImportError } from '../errors/index.js';
import type { ImportPreset } from '../excitation/kind.js';
import type { AnyExcitationKind } from '../excitation/registry.js';
import { ACTIVATIONS, type Gate, type SESpec, type SqueezeMode } from '../spec/types.js';
import type { SEBehaviour } from './behaviour.js';
import { IMPORT_PRESET_NAMES } from './presets.js';

/** What an imported block's spec takes from options, preset and exported metadata. */
export interface BlockBehaviour {
  readonly gate: Gate;
  /** Undefined: the kind's default. */
  readonly squeeze: SqueezeMode | undefined;
  readonly gain: number;
  /** The kind's behaviour fields (e.g. `activation`). */
  readonly excitation: Readonly<Record<string, unknown>>;
}

function describeBehaviourSource(): string {
  return `pass options.preset (one of ${IMPORT_PRESET_NAMES.join(', ')}) or options.activation and options.gate`;
}

/** Options beat the preset, which beats what an exported file recorded. */
export function behaviourFor(
  prefix: string,
  kind: AnyExcitationKind,
  options: Partial<SEBehaviour>,
  preset: ImportPreset | undefined,
  stored: Partial<SEBehaviour> | undefined,
): BlockBehaviour {
  const fromPreset: Partial<SEBehaviour> = preset
    ? Object.fromEntries(
        (['gate', 'squeeze', 'gain', 'activation'] as const)
          .filter((key) => preset[key] !== undefined)
          .map((key) => [key, preset[key]]),
      )
    : {};
  const merged: Partial<SEBehaviour> = { ...stored, ...fromPreset, ...options };
  const excitation: Record<string, unknown> = {};
  if (kind.behaviourFields.includes('activation')) {
    if (merged.activation === undefined) {
      throw new SEImportError(
        'options.activation',
        `one of ${ACTIVATIONS.join(', ')} for block "${prefix}" (${describeBehaviourSource()})`,
        undefined,
        'nothing: the weights do not record the activation',
      );
    }
    excitation.activation = merged.activation;
  } else if (options.activation !== undefined) {
    throw new SEImportError(
      'options.activation',
      `no activation: excitation kind "${kind.kind}" (block "${prefix}") has none`,
      options.activation,
    );
  }
  if (merged.gate === undefined) {
    throw new SEImportError(
      'options.gate',
      `a gate for block "${prefix}", e.g. { type: 'sigmoid' } (${describeBehaviourSource()})`,
      undefined,
      'nothing: the weights do not record the gate',
    );
  }
  return { gate: merged.gate, squeeze: merged.squeeze, gain: merged.gain ?? 1, excitation };
}

/**
 * What the preset's codebase builds for the block's channels, and a warning
 * when the block differs (usually the wrong preset).
 */
export function expectedFor(
  preset: ImportPreset | undefined,
  prefix: string,
  spec: SESpec,
): { expected?: Readonly<Record<string, number>>; warning?: string } {
  if (!preset?.expected) return {};
  let expected: Readonly<Record<string, number>>;
  try {
    expected = preset.expected(spec.channels);
  } catch {
    return {}; // the codebase's rule has no answer for this width (it would build an empty layer)
  }
  const actual = spec.excitation as unknown as Readonly<Record<string, unknown>>;
  const differ = Object.entries(expected).filter(([field, value]) => actual[field] !== value);
  if (differ.length === 0) return { expected };
  const what = differ
    .map(
      ([field, value]) => `${field} ${String(actual[field])}, but ${preset.name} builds ${value}`,
    )
    .join('; ');
  return {
    expected,
    warning: `block "${prefix}": ${what} for ${spec.channels} channels (a different setting such as the reduction ratio, or the wrong preset?)`,
  };
}
