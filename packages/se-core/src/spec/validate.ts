import { SESpecError } from '../errors/index.js';
import { excitationKind } from '../excitation/registry.js';
import {
  isRecord,
  MAX_CHANNELS,
  oneOf,
  parseGain,
  parseGate,
  positiveInteger,
  record,
  rejectUnknownFields,
} from './fields.js';
import {
  type ParsedSpec,
  type SESpec,
  type SESpecInput,
  SPEC_VERSIONS,
  SQUEEZE_MODES,
  type SqueezeMode,
} from './types.js';
import { upgradeV1 } from './upgrade.js';

export { MAX_CHANNELS };

const V2_FIELDS = ['version', 'channels', 'squeeze', 'excitation', 'gate', 'gain'];

function parseSqueeze(value: unknown, allowed: readonly SqueezeMode[], kind: string, path: string) {
  if (value === undefined) return allowed[0] as SqueezeMode;
  const mode = oneOf(value, SQUEEZE_MODES, path);
  if (!allowed.includes(mode)) {
    throw new SESpecError(
      path,
      `one of ${allowed.map((a) => `"${a}"`).join(' | ')} for excitation kind "${kind}"`,
      mode,
    );
  }
  return mode;
}

function parseV2(input: Record<string, unknown>, path: string): SESpec {
  rejectUnknownFields(input, V2_FIELDS, path);
  const channels = positiveInteger(input.channels, `${path}.channels`);
  const excitationPath = `${path}.excitation`;
  const given = record(input.excitation, excitationPath, 'an object { "kind", ... }');
  const kind = excitationKind(given.kind, `${excitationPath}.kind`);
  const excitation = kind.canonical(kind.parse(given as never, { channels, path: excitationPath }));
  return {
    version: 2,
    channels,
    squeeze: parseSqueeze(input.squeeze, kind.squeezeModes, kind.kind, `${path}.squeeze`),
    excitation,
    gate: parseGate(input.gate, `${path}.gate`),
    gain: parseGain(input.gain, `${path}.gain`),
  };
}

/**
 * Validates a spec written by a user or read from a file and returns it
 * normalised: version 2, every default filled in (`squeeze` → the kind's
 * default, `gain` → 1, ECA's `kernelSize` → the adaptive size), keys in the
 * canonical order. Version-1 specs are upgraded to excitation kind `mlp`.
 * Throws {@link SESpecError} naming the field, the received value and what
 * is allowed.
 *
 * @example
 * ```ts
 * const spec = parseSESpec({ version: 2, channels: 64,
 *   excitation: { kind: 'mlp', reducedChannels: 4, activation: 'relu', bias: true },
 *   gate: { type: 'sigmoid' } });
 * spec.squeeze; // 'avg'
 * spec.gain; // 1
 * ```
 */
export function parseSESpec<const I = unknown>(input: I, path = 'spec'): ParsedSpec<I> {
  const value = record(input, path);
  if (!(SPEC_VERSIONS as readonly unknown[]).includes(value.version)) {
    throw new SESpecError(`${path}.version`, `one of ${SPEC_VERSIONS.join(', ')}`, value.version);
  }
  const spec = value.version === 1 ? upgradeV1(value, path) : parseV2(value, path);
  return spec as ParsedSpec<I>;
}

/**
 * Builds a normalised spec from a typed literal (still validated); the result
 * is typed by the literal's excitation kind.
 *
 * @example
 * ```ts
 * const spec = defineSESpec({ version: 2, channels: 256, excitation: { kind: 'ese', bias: true },
 *   gate: pytorchHardSigmoid });
 * spec.excitation.bias; // true
 * ```
 */
export function defineSESpec<const I extends SESpecInput>(input: I): ParsedSpec<I> {
  return parseSESpec(input);
}

/** True when two specs describe the same function (after normalisation; v1 and v2 forms compare equal). */
export function specsEqual(a: SESpec | SESpecInput, b: SESpec | SESpecInput): boolean {
  return JSON.stringify(canonicalSpecJSON(a)) === JSON.stringify(canonicalSpecJSON(b));
}

/**
 * The spec as a plain JSON object with a fixed key order (what files store):
 * validated and normalised, so any accepted form gives the same JSON.
 *
 * @example
 * ```ts
 * JSON.stringify(canonicalSpecJSON(spec)); // '{"version":2,"channels":64,"squeeze":"avg",…}'
 * ```
 */
export function canonicalSpecJSON(spec: SESpec | SESpecInput): SESpec {
  return parseSESpec(spec);
}

export { isRecord };
