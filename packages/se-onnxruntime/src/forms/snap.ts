/**
 * ONNX stores attributes and our scalar constants as float32, so 1/6 comes back as
 * 0.1666666716337204. Specs want the value the author meant: the simplest number
 * (a small fraction, else the shortest decimal) for which `reproduces` holds, i.e.
 * writing the spec again gives the very same float32 constants.
 */
export function snap(
  value: number,
  reproduces: (candidate: number) => boolean = (c) => Math.fround(c) === Math.fround(value),
): number {
  if (!Number.isFinite(value)) return value;
  for (let q = 1; q <= 64; q++) {
    const p = Math.round(value * q);
    const candidate = p / q;
    if (reproduces(candidate)) return candidate;
  }
  for (let digits = 1; digits <= 17; digits++) {
    const candidate = Number.parseFloat(value.toPrecision(digits));
    if (reproduces(candidate)) return candidate;
  }
  return value;
}
