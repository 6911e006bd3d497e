import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { GLSL } from '../shader/dialect.js';
import { fromKernelAttrs, SE_KERNEL_NAME } from './attrs.js';
import { runOnGpu } from './gpu/pipeline.js';
import type { ElementProgram } from './gpu/program.js';
import { kernelInputs } from './inputs.js';

// The fused block on the webgl backend: the shared GPU pipeline (gpu/pipeline.ts) as fragment
// programs on float32 textures, following tfjs-backend-webgl's GPGPUProgram contract
// (variableNames, outputShape, userCode with its getX()/getOutputCoords()/setOutput()
// helpers), declared structurally here.

interface WebglProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
}

interface WebglBackendLike {
  runWebGLProgram(program: WebglProgram, inputs: TensorInfo[], dtype: 'float32'): TensorInfo;
  disposeIntermediateTensorInfo(t: TensorInfo): void;
}

const COORDS = ['', 'int', 'ivec2', 'ivec3', 'ivec4'];

function webglProgram(program: ElementProgram): WebglProgram {
  return {
    variableNames: [...program.inputs],
    outputShape: [...program.outputShape],
    userCode: `
      ${program.functions}
      void main() {
        ${COORDS[program.outputShape.length]} coords = getOutputCoords();
        ${program.body}
        setOutput(${program.value});
      }`,
  };
}

const seWebgl: KernelFunc = ({ inputs, backend, attrs }) => {
  const gl = backend as WebglBackendLike;
  const a = fromKernelAttrs(attrs);
  return runOnGpu(kernelInputs(inputs, a), a, {
    dialect: GLSL,
    run: (program, programInputs) =>
      gl.runWebGLProgram(webglProgram(program), [...programInputs], 'float32'),
    dispose: (t) => gl.disposeIntermediateTensorInfo(t),
  });
};

export const seWebglKernelConfig: KernelConfig = {
  kernelName: SE_KERNEL_NAME,
  backendName: 'webgl',
  kernelFunc: seWebgl,
};
