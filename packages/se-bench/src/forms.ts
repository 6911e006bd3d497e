import type { SEGraphOptions, SessionOptions } from '@seblock/se-onnxruntime';

// The ONNX op forms the benchmark compares, shared by the Node runner and the browser page
// (which cannot import the Node runner: it reads profiles from disk).

export interface Form extends SEGraphOptions {
  readonly label: string;
  readonly graphOptimizationLevel?: SessionOptions['graphOptimizationLevel'];
}

/** Every FC op × squeeze op at full optimisation, and the optimisation levels of one form. */
export const ORT_FORMS: readonly Form[] = [
  ...(['conv', 'gemm', 'matmul'] as const).flatMap((fullyConnected) =>
    (['global-pool', 'reduce'] as const).map((squeezeOp) => ({
      label: `${fullyConnected}+${squeezeOp}`,
      fullyConnected,
      squeezeOp,
    })),
  ),
  ...(['disabled', 'basic', 'extended'] as const).map((level) => ({
    label: `gemm+global-pool (${level})`,
    fullyConnected: 'gemm' as const,
    squeezeOp: 'global-pool' as const,
    graphOptimizationLevel: level,
  })),
];

/** The composition of ONNX's generic ops: ReduceMean, MatMul + Add, no graph optimisation. */
export const NAIVE: Form = {
  label: 'naive: reduce+matmul, no optimisation',
  fullyConnected: 'matmul',
  squeezeOp: 'reduce',
  graphOptimizationLevel: 'disabled',
};
