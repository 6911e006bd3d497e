// Seeded test data, so every failure reproduces: the repository's one generator
// (mulberry32) and, for this package, Box–Muller normals from it.
export { rng } from '../../../../tooling/test-random.js';

/** `count` float32 values from N(0, scale²). */
export function normal(random: () => number, count: number, scale = 1): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const u = Math.max(random(), 1e-12);
    out[i] = scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  }
  return out;
}
