import type { Measurement, Runner } from '../measurement.js';
import { measure } from '../timing.js';

/**
 * The practical limit: TypedArray.set of x into a buffer of the same size, in this process.
 * A copy reads x once and writes once (2 × bytes); an SE block must read x twice and write y
 * once (3 × bytes), so at the copy's bandwidth it would take 1.5 × the copy's time.
 * `copy into a new array` adds what allocating the output costs (first-touch page faults),
 * which every path that returns a fresh tensor pays.
 */
/** A copy of x into a preallocated array of its size, and the bytes one copy moves. */
export function copyBaseline(x: Float32Array): { run: () => void; bytesMoved: number } {
  const dst = new Float32Array(x.length);
  return { run: () => dst.set(x), bytesMoved: 2 * x.byteLength };
}

export const memcpyRunner: Runner = {
  name: 'memcpy',
  async run({ cases, inputs, timing }) {
    const rows: Measurement[] = [];
    for (const c of cases) {
      const x = inputs.get(c.id) as Float32Array;
      const copy = copyBaseline(x);
      const { bytesMoved } = copy;
      const base = {
        caseId: c.id,
        runtime: 'memcpy',
        role: 'limit',
        layout: 'NCHW',
        bytesMoved,
      } as const;
      rows.push({
        ...base,
        path: 'TypedArray.set (preallocated)',
        timing: await measure(copy.run, timing),
      });
      rows.push({
        ...base,
        path: 'copy into a new array',
        timing: await measure(() => new Float32Array(x.length).set(x), timing),
      });
    }
    return { rows, skipped: [] };
  },
};
