import { type GoldenCase, seReference } from '@seblock/se-core';
import { randomBlock, specVariants } from './blocks.js';
import { normal, rng } from './random.js';

/** Synthetic cases: every spec variant, NCHW like golden files, y from the float64 reference. */
export function syntheticCases(): GoldenCase[] {
  const shapes: [number, number, number, number][] = [
    [2, 24, 7, 7],
    [1, 24, 14, 14],
  ];
  return specVariants(24, 6).map((spec, i) => {
    const shape = shapes[i % shapes.length] as [number, number, number, number];
    const block = randomBlock(spec, 1000 + i);
    const x = normal(
      rng(2000 + i),
      shape.reduce((a, b) => a * b, 1),
    );
    return {
      info: { name: `synthetic-${i}`, source: 'se-core seReference (float64)' },
      block,
      shape,
      x,
      y: seReference(spec, block.weights, x, shape, 'NCHW'),
    };
  });
}
