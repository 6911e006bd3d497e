import { SESpecError } from '../errors/index.js';
import {
  ACTIVATIONS,
  GATE_TYPES,
  type Gate,
  MAKE_DIVISIBLE_FLOOR,
  type SESpec,
  type SESpecInput,
  SPEC_VERSIONS,
  SQUEEZE_MODES,
} from './types.js';

const V1_FIELDS = new Set([
  'version',
  'channels',
  'reducedChannels',
  'squeeze',
  'activation',
  'gate',
  'bias',
  'gain',
]);
/** Guard against absurd sizes (a forged file must not make an adapter allocate gigabytes). */
export const MAX_CHANNELS = 1 << 20;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_CHANNELS) {
    throw new SESpecError(field, `an integer from 1 to ${MAX_CHANNELS}`, value);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new SESpecError(field, `one of ${allowed.map((a) => `"${a}"`).join(' | ')}`, value);
  }
  return value as T;
}

function finiteNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new SESpecError(field, 'a finite number', value);
  }
  // -0 would not survive JSON (it prints as 0); normalise so specs compare and round-trip.
  return value === 0 ? 0 : value;
}

function rejectUnknownFields(value: Record<string, unknown>, known: Set<string>, path: string) {
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      throw new SESpecError(
        `${path}.${key}`,
        `no such field (allowed: ${[...known].join(', ')})`,
        value[key],
      );
    }
  }
}

function parseGate(value: unknown, path: string): Gate {
  if (!isRecord(value)) {
    throw new SESpecError(
      path,
      '{ "type": "sigmoid" } or { "type": "hardsigmoid", "alpha", "beta" }',
      value,
    );
  }
  const type = oneOf(value.type, GATE_TYPES, `${path}.type`);
  if (type === 'sigmoid') {
    rejectUnknownFields(value, new Set(['type']), path);
    return { type };
  }
  rejectUnknownFields(value, new Set(['type', 'alpha', 'beta']), path);
  if (!('alpha' in value) || !('beta' in value)) {
    // No silent default: ONNX and Keras 2 use 0.2, PyTorch uses 1/6.
    throw new SESpecError(
      `${path}.${'alpha' in value ? 'beta' : 'alpha'}`,
      'an explicit number (hard-sigmoid defaults differ: PyTorch alpha 1/6, ONNX/Keras 2 alpha 0.2)',
      undefined,
    );
  }
  const alpha = finiteNumber(value.alpha, `${path}.alpha`);
  if (alpha === 0) throw new SESpecError(`${path}.alpha`, 'a non-zero finite number', alpha);
  return { type, alpha, beta: finiteNumber(value.beta, `${path}.beta`) };
}

/**
 * Validates a spec written by a user or read from a file and returns it
 * normalised (`gain` filled in). Throws {@link SESpecError} naming the field,
 * the received value and what is allowed.
 *
 * @example
 * ```ts
 * const spec = parseSESpec({ version: 1, channels: 64, reducedChannels: 4, squeeze: 'avg',
 *   activation: 'relu', gate: { type: 'sigmoid' }, bias: true });
 * spec.gain; // 1
 * ```
 */
export function parseSESpec(input: unknown, path = 'spec'): SESpec {
  if (!isRecord(input)) throw new SESpecError(path, 'an object', input);
  if (!(SPEC_VERSIONS as readonly unknown[]).includes(input.version)) {
    throw new SESpecError(`${path}.version`, `one of ${SPEC_VERSIONS.join(', ')}`, input.version);
  }
  rejectUnknownFields(input, V1_FIELDS, path);
  const channels = positiveInteger(input.channels, `${path}.channels`);
  const reducedChannels = positiveInteger(input.reducedChannels, `${path}.reducedChannels`);
  if (reducedChannels > Math.max(channels, MAKE_DIVISIBLE_FLOOR)) {
    throw new SESpecError(
      `${path}.reducedChannels`,
      `at most channels (${channels}), or at most ${MAKE_DIVISIBLE_FLOOR} for layers narrower than that (make_divisible's floor)`,
      reducedChannels,
    );
  }
  const squeeze = oneOf(input.squeeze, SQUEEZE_MODES, `${path}.squeeze`);
  const activation = oneOf(input.activation, ACTIVATIONS, `${path}.activation`);
  const gate = parseGate(input.gate, `${path}.gate`);
  if (typeof input.bias !== 'boolean')
    throw new SESpecError(`${path}.bias`, 'true or false', input.bias);
  const gain = input.gain === undefined ? 1 : finiteNumber(input.gain, `${path}.gain`);
  return {
    version: 1,
    channels,
    reducedChannels,
    squeeze,
    activation,
    gate,
    bias: input.bias,
    gain,
  };
}

/** Type-level helper: build a normalised spec from a typed literal (still validated). */
export function defineSESpec(input: SESpecInput): SESpec {
  return parseSESpec(input);
}

/** True when two specs describe the same function (after normalisation). */
export function specsEqual(a: SESpec, b: SESpec): boolean {
  return JSON.stringify(canonicalSpecJSON(a)) === JSON.stringify(canonicalSpecJSON(b));
}

/** The spec as a plain JSON object with a fixed key order (what files store). */
export function canonicalSpecJSON(spec: SESpec): SESpec {
  const gate: Gate =
    spec.gate.type === 'sigmoid'
      ? { type: 'sigmoid' }
      : { type: 'hardsigmoid', alpha: spec.gate.alpha, beta: spec.gate.beta };
  return {
    version: spec.version,
    channels: spec.channels,
    reducedChannels: spec.reducedChannels,
    squeeze: spec.squeeze,
    activation: spec.activation,
    gate,
    bias: spec.bias,
    gain: spec.gain,
  };
}
