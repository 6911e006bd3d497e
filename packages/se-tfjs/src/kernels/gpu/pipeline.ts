import type { TensorInfo } from '@tensorflow/tfjs-core';
import { tfjsKind } from '../../excitation/registry.js';
import type { ShaderDialect } from '../../shader/dialect.js';
import { kernelSpec, type SEKernelAttrs } from '../attrs.js';
import type { SEKernelInputs } from '../inputs.js';
import { planeDims } from '../js/pool.js';
import { chunkProgram, descriptorProgram } from './pool.js';
import type { ElementProgram } from './program.js';
import { gateProgram, scaleProgram, stageProgram } from './programs.js';

// The fused block on webgl and webgpu, shared: pool (two stages) → the kind's logits stages on
// the [D·N, C] descriptor rows → e = gain · gate(Σ logits) (in the last stage when D = 1) →
// y = x · e. x is read twice
// (pool, scale) and y written once; nothing goes back to JS. (Recomputing the gate per
// element in the scale pass, to save a program, was measured 4× slower on SwiftShader.)

/** How one backend runs a program and frees what only the pipeline holds. */
export interface GpuBackend {
  readonly dialect: ShaderDialect;
  run(program: ElementProgram, inputs: readonly TensorInfo[]): TensorInfo;
  dispose(t: TensorInfo): void;
}

/** Runs every pass; returns y, having freed every intermediate. */
export function runOnGpu(named: SEKernelInputs, attrs: SEKernelAttrs, gpu: GpuBackend): TensorInfo {
  const spec = kernelSpec(attrs);
  const { layout, kernelLayout } = attrs;
  const d = gpu.dialect;
  const { x } = named;
  const dims = planeDims(x.shape, layout);
  const shape = { dims, layout, width: x.shape[layout === 'NCHW' ? 3 : 2] as number };
  const owned: TensorInfo[] = [];
  const run = (program: ElementProgram, inputs: readonly TensorInfo[]) => {
    const out = gpu.run(program, inputs);
    owned.push(out);
    return out;
  };
  try {
    const mode = spec.squeeze;
    const sums = mode === 'max' ? [] : [run(chunkProgram(shape, 'sum', d), [x])];
    const maxima = mode === 'avg' ? [] : [run(chunkProgram(shape, 'max', d), [x])];
    const descriptors = run(descriptorProgram(shape, mode, d), [...sums, ...maxima]);
    const values = new Map<string, TensorInfo>([
      ['descriptors', descriptors],
      ...Object.entries(named.weights),
    ]);
    const rows = descriptors.shape[0] as number;
    const stages = tfjsKind(spec.excitation.kind).shaderStages({
      excitation: spec.excitation,
      channels: dims.channels,
      kernelLayout,
      dialect: d,
    });
    const depth = rows / dims.batch;
    const gate = { gate: spec.gate, gain: spec.gain };
    let out = descriptors;
    stages.forEach((stage, i) => {
      const inputs = stage.inputs.map((name) => values.get(name) as TensorInfo);
      // With one descriptor per sample the last stage's logits go through the gate in the
      // same program; two (avg+max) are summed first, in a program of their own.
      const gated = depth === 1 && i === stages.length - 1;
      out = run(stageProgram(stage, rows, d, gated ? gate : undefined), inputs);
      values.set(stage.name, out);
    });
    const e =
      depth === 1
        ? out
        : run(gateProgram(spec.gate, spec.gain, dims.batch, dims.channels, depth, d), [out]);
    const { shortcut } = named;
    return shortcut
      ? gpu.run(scaleProgram(x.shape, layout, attrs.residual, d), [x, e, shortcut])
      : gpu.run(scaleProgram(x.shape, layout, 'none', d), [x, e]);
  } finally {
    for (const t of owned) gpu.dispose(t);
  }
}
