import { float64Rounding, gateFunction, kindOfSpec, type SESpec } from '@seblock/se-core';
import type { PlaneDims } from './pool.js';

// The excitation of the fused cpu and wasm kernels: se-core's own float64 logits of the
// spec's kind (the function the reference runs), summed over the descriptors, then gate and
// gain with se-core's gate. So these kernels cannot drift from the definition, and a new
// excitation kind needs no cpu or wasm code. float64Rounding selects se-core's fast float64 loops.

/** e = gain · gate(Σ_d logits(d)), [N·C] in float64. */
export function excitation(
  spec: SESpec,
  weights: Readonly<Record<string, Float32Array>>,
  descriptors: readonly Float64Array[],
  dims: PlaneDims,
): Float64Array {
  const { batch, channels: C } = dims;
  const kind = kindOfSpec(spec);
  const gate = gateFunction(spec.gate);
  const e = new Float64Array(batch * C);
  const total = new Float64Array(C);
  const logits = new Float64Array(C);
  for (let n = 0; n < batch; n++) {
    descriptors.forEach((d, i) => {
      kind.logits(
        spec.excitation,
        weights,
        d.subarray(n * C, n * C + C),
        C,
        logits,
        float64Rounding,
      );
      for (let c = 0; c < C; c++)
        total[c] = i === 0 ? (logits[c] as number) : (total[c] as number) + (logits[c] as number);
    });
    for (let c = 0; c < C; c++) e[n * C + c] = spec.gain * gate(total[c] as number);
  }
  return e;
}
