import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { fromKernelAttrs, SE_KERNEL_NAME, type SEKernelAttrs } from './attrs.js';
import { planeDims } from './fused-math.js';
import { runGpuStages } from './gpu-stages.js';
import { kernelInputs } from './inputs.js';
import { activationSource, denseUnitSource, GLSL, gateSource, shaderFloat } from './shader-math.js';

// The fused block on the webgl backend, as four fragment programs (float32 textures):
//   1. pool, in two stages: partial sums (and/or maxima) of chunks of 128 pixels, four
//      float32 accumulators each, then s[n, c] from the chunks (one texel per channel would
//      leave a GPU mostly idle: N·C invocations each reading all of H×W);
//   2. hidden: act(W1 · s + b1), [N, reducedChannels];
//   3. excitation: e = gain · gate(W2 · hidden + b2), [N, C];
//   4. scale: y = x · e[n, c], one pass over x.
// x is read twice (pool, scale) and y written once; nothing goes back to JS. (Recomputing
// the gate per texel in the scale pass, to save program 3, was measured 4× slower on
// SwiftShader: reducedChannels texture reads per element of x.)
// Programs follow tfjs-backend-webgl's GPGPUProgram contract (variableNames, outputShape,
// userCode with its getX()/setOutput() helpers), declared structurally here.

interface WebglProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
}

interface WebglBackendLike {
  runWebGLProgram(program: WebglProgram, inputs: TensorInfo[], dtype: 'float32'): TensorInfo;
  disposeIntermediateTensorInfo(t: TensorInfo): void;
}

const glslFloat = (v: number) => shaderFloat(v, GLSL);

/** Pixels per invocation of the first pooling stage (the second reduces the chunks). */
export const POOL_CHUNK = 128;

/** x at (n, c, p) with p = h·W + w, in the call's layout. */
function readX(layout: SEKernelAttrs['layout'], width: number): string {
  const hw = `int h = p / ${width}; int w = p - h * ${width};`;
  return layout === 'NCHW'
    ? `float readX(int n, int c, int p) { ${hw} return getX(n, c, h, w); }`
    : `float readX(int n, int c, int p) { ${hw} return getX(n, h, w, c); }`;
}

/** Stage 1: partial sums or maxima of chunks of POOL_CHUNK pixels, [N, C, chunks]. */
function partialProgram(x: TensorInfo, attrs: SEKernelAttrs, kind: 'sum' | 'max'): WebglProgram {
  const { batch, channels, plane } = planeDims(x.shape, attrs.layout);
  const chunks = Math.ceil(plane / POOL_CHUNK);
  const width = (attrs.layout === 'NCHW' ? x.shape[3] : x.shape[2]) as number;
  // Past the last pixel a chunk reads the operation's identity, without a branch per pixel.
  const identity = kind === 'sum' ? '0.0' : '-3.402823466e+38';
  const combine =
    kind === 'sum'
      ? (a: string, v: string) => `${a} += ${v};`
      : (a: string, v: string) => `{ float v = ${v}; ${a} = v > ${a} ? v : ${a}; }`;
  return {
    variableNames: ['x'],
    outputShape: [batch, channels, chunks],
    userCode: `
      ${readX(attrs.layout, width)}
      float at(int n, int c, int p) {
        return p < ${plane} ? readX(n, c, p) : ${identity};
      }
      void main() {
        ivec3 coords = getOutputCoords();
        int n = coords[0];
        int c = coords[1];
        int start = coords[2] * ${POOL_CHUNK};
        float a0 = ${identity}; float a1 = ${identity}; float a2 = ${identity}; float a3 = ${identity};
        for (int k = 0; k < ${POOL_CHUNK}; k += 4) {
          int p = start + k;
          ${combine('a0', 'at(n, c, p)')} ${combine('a1', 'at(n, c, p + 1)')}
          ${combine('a2', 'at(n, c, p + 2)')} ${combine('a3', 'at(n, c, p + 3)')}
        }
        setOutput(${kind === 'sum' ? '(a0 + a1) + (a2 + a3)' : 'max(max(a0, a1), max(a2, a3))'}); // partial maxima are never NaN
      }`,
  };
}

/** Stage 2: s[n, c] from the chunks' partial sums and/or maxima. */
function poolProgram(partials: TensorInfo, attrs: SEKernelAttrs, plane: number): WebglProgram {
  const [batch, channels, chunks] = partials.shape as [number, number, number];
  const names =
    attrs.squeeze === 'avgmax' ? ['sums', 'maxima'] : [attrs.squeeze === 'avg' ? 'sums' : 'maxima'];
  const mean = `sum / ${glslFloat(plane)}`;
  const result =
    attrs.squeeze === 'avg'
      ? mean
      : attrs.squeeze === 'max'
        ? 'maxV'
        : `0.5 * (${mean}) + 0.5 * maxV`;
  return {
    variableNames: names,
    outputShape: [batch, channels],
    userCode: `
      void main() {
        ivec2 coords = getOutputCoords();
        float sum = 0.0;
        float maxV = -3.402823466e+38;
        for (int k = 0; k < ${chunks}; k++) {
          ${attrs.squeeze !== 'max' ? 'sum += getSums(coords[0], coords[1], k);' : ''}
          ${attrs.squeeze !== 'avg' ? 'float m = getMaxima(coords[0], coords[1], k); if (m > maxV) maxV = m;' : ''}
        }
        setOutput(${result});
      }`,
  };
}

function hiddenProgram(
  s: TensorInfo,
  reduced: number,
  attrs: SEKernelAttrs,
  bias: boolean,
): WebglProgram {
  const [batch, channels] = s.shape as [number, number];
  return {
    variableNames: ['s', 'fc1', ...(bias ? ['b1'] : [])],
    outputShape: [batch, reduced],
    userCode: `
      float act(float z) { ${activationSource(attrs.activation, GLSL)} }
      void main() {
        ivec2 coords = getOutputCoords();
        int n = coords[0];
        int j = coords[1];
        ${denseUnitSource('fc1', { count: channels, transposed: attrs.transposed, bias }, GLSL)}
        setOutput(act(z));
      }`,
  };
}

function excitationProgram(
  hidden: TensorInfo,
  channels: number,
  attrs: SEKernelAttrs,
  bias: boolean,
): WebglProgram {
  const [batch, reduced] = hidden.shape as [number, number];
  return {
    variableNames: ['hidden', 'fc2', ...(bias ? ['b2'] : [])],
    outputShape: [batch, channels],
    userCode: `
      float gate(float z) { ${gateSource(attrs, GLSL)} }
      void main() {
        ivec2 coords = getOutputCoords();
        int n = coords[0];
        int c = coords[1];
        ${denseUnitSource('fc2', { count: reduced, transposed: attrs.transposed, bias }, GLSL)}
        setOutput(gate(z)${attrs.gain === 1 ? '' : ` * ${glslFloat(attrs.gain)}`});
      }`,
  };
}

function scaleProgram(x: TensorInfo, attrs: SEKernelAttrs): WebglProgram {
  const channel = attrs.layout === 'NCHW' ? 'coords[1]' : 'coords[3]';
  return {
    variableNames: ['x', 'e'],
    outputShape: [...x.shape],
    userCode: `
      void main() {
        ivec4 coords = getOutputCoords();
        setOutput(getX(coords[0], coords[1], coords[2], coords[3]) * getE(coords[0], ${channel}));
      }`,
  };
}

const seWebgl: KernelFunc = ({ inputs, backend, attrs }) => {
  const gl = backend as WebglBackendLike;
  const a = fromKernelAttrs(attrs);
  const run = (program: WebglProgram, programInputs: TensorInfo[]) =>
    gl.runWebGLProgram(program, programInputs, 'float32');
  return runGpuStages(kernelInputs(inputs), a, {
    pool: (x) => {
      // Two stages: partial sums and/or maxima of chunks, then s from the chunks.
      const partials = (
        a.squeeze === 'avgmax' ? ['sum', 'max'] : [a.squeeze === 'avg' ? 'sum' : 'max']
      ).map((kind) => run(partialProgram(x, a, kind as 'sum' | 'max'), [x]));
      const { plane } = planeDims(x.shape, a.layout);
      const s = run(poolProgram(partials[0] as TensorInfo, a, plane), partials);
      for (const t of partials) gl.disposeIntermediateTensorInfo(t);
      return s;
    },
    hidden: (s, reduced, bias) => hiddenProgram(s, reduced, a, bias),
    excitation: (hidden, channels, bias) => excitationProgram(hidden, channels, a, bias),
    scale: (x) => scaleProgram(x, a),
    run,
    dispose: (t) => gl.disposeIntermediateTensorInfo(t),
  });
};

export const seWebglKernelConfig: KernelConfig = {
  kernelName: SE_KERNEL_NAME,
  backendName: 'webgl',
  kernelFunc: seWebgl,
};
