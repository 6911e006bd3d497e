import { mlpKind } from '../excitation/mlp.js';
import { oneOf, parseGain, parseGate, positiveInteger, rejectUnknownFields } from './fields.js';
import type { SESpec } from './types.js';

const V1_FIELDS = [
  'version',
  'channels',
  'reducedChannels',
  'squeeze',
  'activation',
  'gate',
  'bias',
  'gain',
];

/**
 * Reads a version-1 spec as version 2 with excitation kind `mlp` (SPEC.md,
 * "Version 1"). Errors name the version-1 fields (`spec.reducedChannels`), as
 * the file says them.
 */
export function upgradeV1(input: Record<string, unknown>, path: string): SESpec {
  rejectUnknownFields(input, V1_FIELDS, path);
  const channels = positiveInteger(input.channels, `${path}.channels`);
  const { reducedChannels, activation, bias } = input;
  const excitation = mlpKind.parse({ kind: 'mlp', reducedChannels, activation, bias } as never, {
    channels,
    path,
  });
  return {
    version: 2,
    channels,
    squeeze: oneOf(input.squeeze, mlpKind.squeezeModes, `${path}.squeeze`),
    excitation,
    gate: parseGate(input.gate, `${path}.gate`),
    gain: parseGain(input.gain, `${path}.gain`),
  };
}
