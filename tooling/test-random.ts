// The seeded generator every package's tests draw their data from, so a failure
// reproduces from its seed. One definition: test data is bit-identical across
// packages and over time (changing it would change every generated tensor).

/** mulberry32: 32 bits of state, tiny and fast, good enough for test data. Uniform in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
