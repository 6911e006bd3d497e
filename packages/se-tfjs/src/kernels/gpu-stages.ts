import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { SEKernelAttrs } from './attrs.js';
import { reducedChannelsOf, type SEKernelInputs } from './inputs.js';

// The order of the GPU kernels' passes, shared by webgl and webgpu: each backend writes its own
// programs (GLSL fragment programs, WGSL compute programs) and says how to run and release
// them; this file runs pool → hidden → excitation → scale and frees what only it holds.

/** One backend's programs for the four passes, and how to run and free them. */
export interface GpuStages<Program> {
  /** s = pool(x), [N, C] (a backend may run several programs and free their partials). */
  pool(x: TensorInfo): TensorInfo;
  /** act(W1 · s + b1), [N, reducedChannels]. */
  hidden(s: TensorInfo, reduced: number, bias: boolean): Program;
  /** gain · gate(W2 · hidden + b2), [N, C]. */
  excitation(hidden: TensorInfo, channels: number, bias: boolean): Program;
  /** y = x · e[n, c], x's shape. */
  scale(x: TensorInfo): Program;
  run(program: Program, inputs: TensorInfo[]): TensorInfo;
  dispose(t: TensorInfo): void;
}

/** Runs the four passes; returns y, having freed s, the hidden units and e. */
export function runGpuStages<Program>(
  named: SEKernelInputs,
  attrs: SEKernelAttrs,
  stages: GpuStages<Program>,
): TensorInfo {
  const reduced = reducedChannelsOf(named, attrs.transposed);
  const bias = named.fc1Bias !== undefined && named.fc2Bias !== undefined;
  const channels = named.x.shape[attrs.layout === 'NCHW' ? 1 : 3] as number;
  const s = stages.pool(named.x);
  const hidden = stages.run(stages.hidden(s, reduced, bias), [
    s,
    named.fc1,
    ...(bias ? [named.fc1Bias as TensorInfo] : []),
  ]);
  const e = stages.run(stages.excitation(hidden, channels, bias), [
    hidden,
    named.fc2,
    ...(bias ? [named.fc2Bias as TensorInfo] : []),
  ]);
  const y = stages.run(stages.scale(named.x), [named.x, e]);
  for (const t of [s, hidden, e]) stages.dispose(t);
  return y;
}
