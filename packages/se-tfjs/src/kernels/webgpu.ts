import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { fromKernelAttrs, SE_KERNEL_NAME, type SEKernelAttrs } from './attrs.js';
import { planeDims } from './fused-math.js';
import { runGpuStages } from './gpu-stages.js';
import { kernelInputs } from './inputs.js';
import { activationSource, denseUnitSource, gateSource, shaderFloat, WGSL } from './shader-math.js';

// The fused block on the webgpu backend: the webgl kernel's passes (pool in one stage here), as WGSL
// compute programs on tfjs-backend-webgpu's program contract (flat dispatch over the output,
// `main(index)` with uniforms.size, getX()/getCoordsFromIndex()/setOutputAtIndex() helpers),
// declared structurally here:
//   1. pool: s[n, c], four float32 partial sums (and a max) over H×W per invocation;
//   2. hidden: act(W1 · s + b1), [N, reducedChannels];
//   3. excitation: e = gain · gate(W2 · hidden + b2), [N, C];
//   4. scale: y = x · e[n, c], one pass over x.

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

function program(
  key: string,
  outputShape: number[],
  variableNames: string[],
  body: string,
): WebgpuProgram {
  const size = outputShape.reduce((a, b) => a * b, 1);
  return {
    outputShape,
    shaderKey: `seblock_${key}`,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(size / WORKGROUP), 1, 1],
    variableNames,
    workgroupSize: [WORKGROUP, 1, 1],
    size: true,
    getUserCode: () => body,
  };
}

const wgslFloat = (v: number) => shaderFloat(v, WGSL);

function poolProgram(x: TensorInfo, attrs: SEKernelAttrs): WebgpuProgram {
  const { batch, channels, plane } = planeDims(x.shape, attrs.layout);
  const width = (attrs.layout === 'NCHW' ? x.shape[3] : x.shape[2]) as number;
  const plane4 = plane - (plane % 4);
  const read = attrs.layout === 'NCHW' ? 'getX(n, c, h, w)' : 'getX(n, h, w, c)';
  const mean = `((s0 + s1) + (s2 + s3)) / ${wgslFloat(plane)}`;
  const result =
    attrs.squeeze === 'avg'
      ? mean
      : attrs.squeeze === 'max'
        ? 'maxV'
        : `0.5 * (${mean}) + 0.5 * maxV`;
  const track = (v: string) => (attrs.squeeze === 'avg' ? '' : `if (${v} > maxV) { maxV = ${v}; }`);
  const code = `
    fn readX(n : i32, c : i32, p : i32) -> f32 {
      let h = p / ${width};
      let w = p - h * ${width};
      return ${read};
    }
    fn main(index : i32) {
      if (index < uniforms.size) {
        let coords = getCoordsFromIndex(index);
        let n = coords[0];
        let c = coords[1];
        var s0 = 0.0; var s1 = 0.0; var s2 = 0.0; var s3 = 0.0;
        var maxV = -3.402823466e+38;
        for (var p = 0; p < ${plane4}; p += 4) {
          let v0 = readX(n, c, p); let v1 = readX(n, c, p + 1);
          let v2 = readX(n, c, p + 2); let v3 = readX(n, c, p + 3);
          s0 += v0; s1 += v1; s2 += v2; s3 += v3;
          ${track('v0')} ${track('v1')} ${track('v2')} ${track('v3')}
        }
        for (var p = ${plane4}; p < ${plane}; p++) {
          let v = readX(n, c, p);
          s0 += v;
          ${track('v')}
        }
        setOutputAtIndex(index, ${result});
      }
    }`;
  return program(`pool_${code}`, [batch, channels], ['x'], code);
}

function hiddenProgram(
  s: TensorInfo,
  reduced: number,
  attrs: SEKernelAttrs,
  bias: boolean,
): WebgpuProgram {
  const [batch, channels] = s.shape as [number, number];
  const code = `
    fn act(z : f32) -> f32 { ${activationSource(attrs.activation, WGSL)} }
    fn main(index : i32) {
      if (index < uniforms.size) {
        let coords = getCoordsFromIndex(index);
        let n = coords[0];
        let j = coords[1];
        ${denseUnitSource('fc1', { count: channels, transposed: attrs.transposed, bias }, WGSL)}
        setOutputAtIndex(index, act(z));
      }
    }`;
  return program(`hidden_${code}`, [batch, reduced], ['s', 'fc1', ...(bias ? ['b1'] : [])], code);
}

function excitationProgram(
  hidden: TensorInfo,
  channels: number,
  attrs: SEKernelAttrs,
  bias: boolean,
): WebgpuProgram {
  const [batch, reduced] = hidden.shape as [number, number];
  const code = `
    fn gate(z : f32) -> f32 { ${gateSource(attrs, WGSL)} }
    fn main(index : i32) {
      if (index < uniforms.size) {
        let coords = getCoordsFromIndex(index);
        let n = coords[0];
        let c = coords[1];
        ${denseUnitSource('fc2', { count: reduced, transposed: attrs.transposed, bias }, WGSL)}
        setOutputAtIndex(index, gate(z)${attrs.gain === 1 ? '' : ` * ${wgslFloat(attrs.gain)}`});
      }
    }`;
  return program(
    `excitation_${code}`,
    [batch, channels],
    ['hidden', 'fc2', ...(bias ? ['b2'] : [])],
    code,
  );
}

function scaleProgram(x: TensorInfo, attrs: SEKernelAttrs): WebgpuProgram {
  const channel = attrs.layout === 'NCHW' ? 'coords[1]' : 'coords[3]';
  const code = `
    fn main(index : i32) {
      if (index < uniforms.size) {
        let coords = getCoordsFromIndex(index);
        setOutputAtIndex(index, getX(coords[0], coords[1], coords[2], coords[3]) * getE(coords[0], ${channel}));
      }
    }`;
  return program(`scale_${code}`, [...x.shape], ['x', 'e'], code);
}

const seWebgpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const gpu = backend as WebgpuBackendLike;
  const a = fromKernelAttrs(attrs);
  const run = (program: WebgpuProgram, programInputs: TensorInfo[]) =>
    gpu.runWebGPUProgram(program, programInputs, 'float32');
  return runGpuStages(kernelInputs(inputs), a, {
    pool: (x) => run(poolProgram(x, a), [x]),
    hidden: (s, reduced, bias) => hiddenProgram(s, reduced, a, bias),
    excitation: (hidden, channels, bias) => excitationProgram(hidden, channels, a, bias),
    scale: (x) => scaleProgram(x, a),
    run,
    dispose: (t) => gpu.disposeData(t.dataId),
  });
};

export const seWebgpuKernelConfig: KernelConfig = {
  kernelName: SE_KERNEL_NAME,
  backendName: 'webgpu',
  kernelFunc: seWebgpu,
};
