// Comparing blocks: the same spec, and weights bit for bit as a float32 graph stores them.
import { type SEBlock, specsEqual } from '@seblock/se-core';
import { expect } from 'vitest';

/** A weight's float32 bits (what a graph stores: float64 weights are rounded once). */
const bits = (values: ArrayLike<number> | undefined) =>
  values && Array.from(new Uint32Array(Float32Array.from(values).buffer));

/** `actual` has `expected`'s spec and, key by key, bit-identical float32 weights. */
export function expectSameBlock(actual: SEBlock, expected: SEBlock, label: string): void {
  expect(
    specsEqual(actual.spec, expected.spec),
    `${label}: ${JSON.stringify(actual.spec)} vs ${JSON.stringify(expected.spec)}`,
  ).toBe(true);
  const keys = [...new Set([...Object.keys(actual.weights), ...Object.keys(expected.weights)])];
  for (const key of keys.sort())
    expect(bits(actual.weights[key]), `${label} ${key}`).toEqual(bits(expected.weights[key]));
}
