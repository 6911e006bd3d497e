// The accuracy cases of test/fixtures/accuracy-cases.json (scripts/make_accuracy_cases.py):
// blocks whose squeeze float32 kernels get wrong, with PyTorch's own float32 error. The data
// are drawn from their seeds here, as the script drew them; y is se-core's float64 reference.
import { type GoldenCase, parseSESpec, seReference, weightSlots } from '@seblock/se-core';
import { randomFloats } from './random.js';

interface SeededTensor {
  readonly shape: readonly number[];
  readonly seed: number;
  readonly scale: number;
}

interface AccuracyCaseEntry {
  readonly name: string;
  readonly description: string;
  readonly spec: unknown;
  readonly shape: readonly [number, number, number, number];
  readonly x: { readonly seed: number; readonly scale: number };
  readonly weights: Readonly<Record<string, SeededTensor>>;
  readonly torchFloat32Ulps: number;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Every accuracy case as a golden case, from the JSON text of accuracy-cases.json. */
export function accuracyCases(json: string): GoldenCase[] {
  const { cases } = JSON.parse(json) as { cases: AccuracyCaseEntry[] };
  return cases.map((entry) => {
    const spec = parseSESpec(entry.spec);
    const keys = new Map(weightSlots(spec).map((slot) => [slot.tensor, slot.key]));
    const weights = Object.fromEntries(
      Object.entries(entry.weights).map(([tensor, t]) => [
        keys.get(tensor) ?? tensor,
        randomFloats(size(t.shape), t.seed, t.scale),
      ]),
    );
    const x = randomFloats(size(entry.shape), entry.x.seed, entry.x.scale);
    return {
      info: {
        name: entry.name,
        description: entry.description,
        torchFloat32Ulps: entry.torchFloat32Ulps,
      },
      block: { spec, weights },
      shape: entry.shape,
      x,
      y: seReference(spec, weights, x, entry.shape),
    };
  });
}
