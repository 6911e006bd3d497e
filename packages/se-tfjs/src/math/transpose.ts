import type { FloatArray } from '@seblock/se-core';

/**
 * Row-major [rows, cols] → [cols, rows]. Converts between the canonical (PyTorch `Linear`)
 * [out, in] weight and the TF.js / Keras dense kernel [in, out]. Values keep their dtype.
 */
export function transpose2d<T extends FloatArray>(values: T, rows: number, cols: number): T {
  const out = new (values.constructor as new (length: number) => T)(values.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c] as number;
  }
  return out;
}
