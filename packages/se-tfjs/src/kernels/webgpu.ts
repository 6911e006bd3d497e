import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { WGSL } from '../shader/dialect.js';
import { fromKernelAttrs, SE_KERNEL_NAME } from './attrs.js';
import { runOnGpu } from './gpu/pipeline.js';
import type { ElementProgram } from './gpu/program.js';
import { kernelInputs } from './inputs.js';

// The fused block on the webgpu backend: the shared GPU pipeline (gpu/pipeline.ts) as WGSL
// compute programs on tfjs-backend-webgpu's program contract (flat dispatch over the output,
// `main(index)` with uniforms.size, getX()/getCoordsFromIndex()/setOutputAtIndex() helpers),
// declared structurally here.

interface WebgpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize: [number, number, number];
  size: boolean;
  getUserCode: () => string;
}

interface WebgpuBackendLike {
  runWebGPUProgram(program: WebgpuProgram, inputs: TensorInfo[], dtype: 'float32'): TensorInfo;
  disposeData(dataId: object): boolean;
}

const WORKGROUP = 64;

function webgpuProgram(program: ElementProgram): WebgpuProgram {
  const outputShape = [...program.outputShape];
  const size = outputShape.reduce((a, b) => a * b, 1);
  const code = `
    ${program.functions}
    fn main(index : i32) {
      if (index < uniforms.size) {
        let coords = getCoordsFromIndex(index);
        ${program.body}
        setOutputAtIndex(index, ${program.value});
      }
    }`;
  return {
    outputShape,
    // The source holds every constant (shapes, spec), so it is the cache key.
    shaderKey: `seblock_${program.key}_${code}`,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(size / WORKGROUP), 1, 1],
    variableNames: [...program.inputs],
    workgroupSize: [WORKGROUP, 1, 1],
    size: true,
    getUserCode: () => code,
  };
}

const seWebgpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const gpu = backend as WebgpuBackendLike;
  const a = fromKernelAttrs(attrs);
  return runOnGpu(kernelInputs(inputs, a), a, {
    dialect: WGSL,
    run: (program, programInputs) =>
      gpu.runWebGPUProgram(webgpuProgram(program), [...programInputs], 'float32'),
    dispose: (t) => gpu.disposeData(t.dataId),
  });
};

export const seWebgpuKernelConfig: KernelConfig = {
  kernelName: SE_KERNEL_NAME,
  backendName: 'webgpu',
  kernelFunc: seWebgpu,
};
