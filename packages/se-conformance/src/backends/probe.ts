import { parseSESpec, type SEBlock, sigmoidGate } from '@seblock/se-core';

/** A tiny valid block used to find out whether a backend initialises at all. */
export const PROBE_BLOCK: SEBlock = {
  spec: parseSESpec({
    version: 2,
    channels: 2,
    excitation: { kind: 'mlp', reducedChannels: 1, activation: 'relu', bias: true },
    gate: sigmoidGate,
  }),
  weights: {
    fc1Weight: new Float32Array([0.5, -0.25]),
    fc1Bias: new Float32Array([0.1]),
    fc2Weight: new Float32Array([1, -1]),
    fc2Bias: new Float32Array([0, 0.5]),
  },
};
export const PROBE_X = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]);
export const PROBE_SHAPE = [1, 2, 2, 2] as const;

/** First line of an error, for a skip reason. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n').find((l) => l.trim() !== '') ?? text).trim().slice(0, 240);
}
