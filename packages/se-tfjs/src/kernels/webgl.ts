import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { fromKernelAttrs, SE_KERNEL_NAME, type SEKernelAttrs } from './attrs.js';
import { planeDims } from './fused-math.js';
import { kernelInputs } from './inputs.js';

// The fused block on the webgl backend, as three fragment programs (float32 textures):
//   1. pool: s[n, c] from one loop over H×W per output texel, four partial sums (and a max);
//   2. hidden: act(W1 · s + b1), [N, reducedChannels];
//   3. gate and scale: y = x · gain · gate(W2[c] · hidden[n] + b2[c]) in one pass over x,
//      each texel recomputing its channel's logit (reducedChannels multiply-adds).
// x is read twice (pool, scale) and y written once; no [N, C] intermediate goes back to JS.
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

/** A JS number as a GLSL float literal (float32 precision, always with a decimal point). */
const glslFloat = (v: number) => {
  if (!Number.isFinite(v)) throw new RangeError(`${SE_KERNEL_NAME} (webgl): constant ${v}`);
  return v.toExponential(9);
};

/** x at (n, c, p) with p = h·W + w, in the call's layout. */
function readX(layout: SEKernelAttrs['layout'], width: number): string {
  const hw = `int h = p / ${width}; int w = p - h * ${width};`;
  return layout === 'NCHW'
    ? `float readX(int n, int c, int p) { ${hw} return getX(n, c, h, w); }`
    : `float readX(int n, int c, int p) { ${hw} return getX(n, h, w, c); }`;
}

function poolProgram(x: TensorInfo, attrs: SEKernelAttrs): WebglProgram {
  const { batch, channels, plane } = planeDims(x.shape, attrs.layout);
  const width = (attrs.layout === 'NCHW' ? x.shape[3] : x.shape[2]) as number;
  const plane4 = plane - (plane % 4);
  const mean = `((s0 + s1) + (s2 + s3)) / ${glslFloat(plane)}`;
  const result =
    attrs.squeeze === 'avg'
      ? mean
      : attrs.squeeze === 'max'
        ? 'maxV'
        : `0.5 * (${mean}) + 0.5 * maxV`;
  return {
    variableNames: ['x'],
    outputShape: [batch, channels],
    userCode: `
      ${readX(attrs.layout, width)}
      void main() {
        ivec2 coords = getOutputCoords();
        int n = coords[0];
        int c = coords[1];
        float s0 = 0.0; float s1 = 0.0; float s2 = 0.0; float s3 = 0.0;
        float maxV = -3.402823466e+38;
        for (int p = 0; p < ${plane4}; p += 4) {
          float v0 = readX(n, c, p); float v1 = readX(n, c, p + 1);
          float v2 = readX(n, c, p + 2); float v3 = readX(n, c, p + 3);
          s0 += v0; s1 += v1; s2 += v2; s3 += v3;
          ${attrs.squeeze === 'avg' ? '' : 'if (v0 > maxV) maxV = v0; if (v1 > maxV) maxV = v1; if (v2 > maxV) maxV = v2; if (v3 > maxV) maxV = v3;'}
        }
        for (int p = ${plane4}; p < ${plane}; p++) {
          float v = readX(n, c, p);
          s0 += v;
          ${attrs.squeeze === 'avg' ? '' : 'if (v > maxV) maxV = v;'}
        }
        setOutput(${result});
      }`,
  };
}

/** The activation, as op/functions.ts composes it. */
function activationGlsl(name: SEKernelAttrs['activation']): string {
  switch (name) {
    case 'relu':
      return 'return max(z, 0.0);';
    case 'relu6':
      return 'return min(max(z, 0.0), 6.0);';
    case 'silu':
      return 'return z * (1.0 / (1.0 + exp(-z)));';
    case 'gelu':
      // Abramowitz–Stegun 7.1.26, TF.js' own Erf (|error| ≤ 1.5e-7).
      return `
        float u = z * ${glslFloat(Math.SQRT1_2)};
        float a = abs(u);
        float t = 1.0 / (1.0 + 0.3275911 * a);
        float erfA = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
        float erfU = u < 0.0 ? -erfA : erfA;
        return (z * 0.5) * (1.0 + erfU);`;
    case 'hardswish':
      return 'return (z * min(max(z + 3.0, 0.0), 6.0)) / 6.0;';
  }
}

/** The gate, with gate()'s shifted form of hard-sigmoid. */
function gateGlsl(attrs: SEKernelAttrs): string {
  if (attrs.gateType === 'sigmoid') return 'return 1.0 / (1.0 + exp(-z));';
  const { gateAlpha: alpha, gateBeta: beta } = attrs;
  const shifted = beta === 0 ? 'z' : `(z + ${glslFloat(beta / alpha)})`;
  const reciprocal = 1 / alpha;
  const scaled = Number.isInteger(reciprocal)
    ? `${shifted} / ${glslFloat(reciprocal)}`
    : `${shifted} * ${glslFloat(alpha)}`;
  return `return clamp(${scaled}, 0.0, 1.0);`;
}

function hiddenProgram(
  s: TensorInfo,
  reduced: number,
  attrs: SEKernelAttrs,
  bias: boolean,
): WebglProgram {
  const [batch, channels] = s.shape as [number, number];
  // Canonical fc1 is [rd, C]; TF.js' kernel layout [C, rd].
  const weight = attrs.transposed ? 'getFc1(j, c)' : 'getFc1(c, j)';
  return {
    variableNames: ['s', 'fc1', ...(bias ? ['b1'] : [])],
    outputShape: [batch, reduced],
    userCode: `
      float act(float z) { ${activationGlsl(attrs.activation)} }
      void main() {
        ivec2 coords = getOutputCoords();
        int n = coords[0];
        int j = coords[1];
        float z = 0.0;
        for (int c = 0; c < ${channels}; c++) z += ${weight} * getS(n, c);
        ${bias ? 'z += getB1(j);' : ''}
        setOutput(act(z));
      }`,
  };
}

function scaleProgram(
  x: TensorInfo,
  reduced: number,
  attrs: SEKernelAttrs,
  bias: boolean,
): WebglProgram {
  // Canonical fc2 is [C, rd]; TF.js' kernel layout [rd, C].
  const weight = attrs.transposed ? 'getFc2(c, j)' : 'getFc2(j, c)';
  const channelAxis = attrs.layout === 'NCHW' ? 1 : 3;
  return {
    variableNames: ['x', 'hidden', 'fc2', ...(bias ? ['b2'] : [])],
    outputShape: [...x.shape],
    userCode: `
      float gate(float z) { ${gateGlsl(attrs)} }
      void main() {
        ivec4 coords = getOutputCoords();
        int n = coords[0];
        int c = coords[${channelAxis}];
        float z = 0.0;
        for (int j = 0; j < ${reduced}; j++) z += ${weight} * getHidden(n, j);
        ${bias ? 'z += getB2(c);' : ''}
        float e = gate(z)${attrs.gain === 1 ? '' : ` * ${glslFloat(attrs.gain)}`};
        setOutput(getX(coords[0], coords[1], coords[2], coords[3]) * e);
      }`,
  };
}

const seWebgl: KernelFunc = ({ inputs, backend, attrs }) => {
  const gl = backend as WebglBackendLike;
  const named = kernelInputs(inputs);
  const a = fromKernelAttrs(attrs);
  const reduced = (a.transposed ? named.fc1.shape[0] : named.fc1.shape[1]) as number;
  const bias = named.fc1Bias !== undefined && named.fc2Bias !== undefined;
  const s = gl.runWebGLProgram(poolProgram(named.x, a), [named.x], 'float32');
  const hidden = gl.runWebGLProgram(
    hiddenProgram(s, reduced, a, bias),
    [s, named.fc1, ...(bias ? [named.fc1Bias as TensorInfo] : [])],
    'float32',
  );
  const y = gl.runWebGLProgram(
    scaleProgram(named.x, reduced, a, bias),
    [named.x, hidden, named.fc2, ...(bias ? [named.fc2Bias as TensorInfo] : [])],
    'float32',
  );
  gl.disposeIntermediateTensorInfo(s);
  gl.disposeIntermediateTensorInfo(hidden);
  return y;
};

export const seWebglKernelConfig: KernelConfig = {
  kernelName: SE_KERNEL_NAME,
  backendName: 'webgl',
  kernelFunc: seWebgl,
};
