// Reads the committed fixtures made by scripts/make_fixtures.py.
import { readFileSync } from 'node:fs';
import { decodeSafetensors } from '@seblock/se-core';

const dir = new URL('../fixtures/', import.meta.url);

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, dir)));
}

/** The tensors of a plain safetensors fixture, by name. */
export function fixtureTensors(
  name: string,
): Map<string, { shape: number[]; values: Float32Array | Float64Array }> {
  const { tensors } = decodeSafetensors(fixtureBytes(name));
  return new Map(
    [...tensors].map(([k, t]) => [
      k,
      { shape: [...t.shape], values: t.values as Float32Array | Float64Array },
    ]),
  );
}

/** '/layer2/layer2.1/Add' → 'layer2.1': the PyTorch module of an exported node. */
export function moduleOf(nodeName: string): string {
  const parts = nodeName.split('/').filter(Boolean);
  return parts[parts.length - 2] ?? '';
}
