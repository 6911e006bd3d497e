import { SESpecError } from '../errors/index.js';
import { GATE_TYPES, type Gate } from './primitives.js';

// Field validators shared by the spec parser and every excitation kind: each
// throws SESpecError naming the field, what it accepts and what it received.

/** Guard against absurd sizes (a forged file must not make an adapter allocate gigabytes). */
export const MAX_CHANNELS = 1 << 20;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An integer from 1 to `max` (MAX_CHANNELS unless given). */
export function positiveInteger(value: unknown, field: string, max = MAX_CHANNELS): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new SESpecError(field, `an integer from 1 to ${max}`, value);
  }
  return value;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new SESpecError(field, `one of ${allowed.map((a) => `"${a}"`).join(' | ')}`, value);
  }
  return value as T;
}

export function finiteNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new SESpecError(field, 'a finite number', value);
  }
  // -0 would not survive JSON (it prints as 0); normalise so specs compare and round-trip.
  return value === 0 ? 0 : value;
}

export function boolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new SESpecError(field, 'true or false', value);
  return value;
}

/** The object at `path`, else SESpecError saying what shape was expected. */
export function record(
  value: unknown,
  path: string,
  expected = 'an object',
): Record<string, unknown> {
  if (!isRecord(value)) throw new SESpecError(path, expected, value);
  return value;
}

export function rejectUnknownFields(
  value: Record<string, unknown>,
  known: readonly string[],
  path: string,
): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new SESpecError(
        `${path}.${key}`,
        `no such field (allowed: ${known.join(', ')})`,
        value[key],
      );
    }
  }
}

/** `{ "type": "sigmoid" }` or `{ "type": "hardsigmoid", "alpha", "beta" }`, both explicit. */
export function parseGate(value: unknown, path: string): Gate {
  const gate = record(
    value,
    path,
    '{ "type": "sigmoid" } or { "type": "hardsigmoid", "alpha", "beta" }',
  );
  const type = oneOf(gate.type, GATE_TYPES, `${path}.type`);
  if (type === 'sigmoid') {
    rejectUnknownFields(gate, ['type'], path);
    return { type };
  }
  rejectUnknownFields(gate, ['type', 'alpha', 'beta'], path);
  if (!('alpha' in gate) || !('beta' in gate)) {
    // No silent default: ONNX and Keras 2 use 0.2, PyTorch uses 1/6.
    throw new SESpecError(
      `${path}.${'alpha' in gate ? 'beta' : 'alpha'}`,
      'an explicit number (hard-sigmoid defaults differ: PyTorch alpha 1/6, ONNX/Keras 2 alpha 0.2)',
      undefined,
    );
  }
  const alpha = finiteNumber(gate.alpha, `${path}.alpha`);
  if (alpha === 0) throw new SESpecError(`${path}.alpha`, 'a non-zero finite number', alpha);
  return { type, alpha, beta: finiteNumber(gate.beta, `${path}.beta`) };
}

/** `gain` of a spec: 1 when left out. */
export function parseGain(value: unknown, path: string): number {
  return value === undefined ? 1 : finiteNumber(value, path);
}
