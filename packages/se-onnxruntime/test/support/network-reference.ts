// A float64 interpreter of se-core's network IR, straight from PyTorch's definitions (plain
// loops, no shortcuts), for hand-made networks that use ops the PyTorch fixtures do not
// (relu6, sigmoid, GELU, hard-sigmoid with other slopes, dilation, uneven padding, …).
import {
  ACTIVATION_FUNCTIONS,
  gateFunction,
  parseSESpec,
  seReference,
  weightSlots,
} from '@seblock/se-core';
import type {
  Conv2dNode,
  MaxPoolNode,
  NetworkActivation,
  NetworkDefinition,
} from '../../../se-core/src/networks/index.js';

interface Value {
  readonly data: Float64Array;
  /** [N, C, H, W] or [N, C]. */
  readonly shape: readonly number[];
}

type Weights = ReadonlyMap<string, Float32Array>;

function conv(x: Value, node: Conv2dNode, weights: Weights): Value {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [kh, kw] = node.kernel;
  const [sh, sw] = node.stride;
  const [dh, dw] = node.dilation;
  const [pt, pl, pb, pr] = node.padding;
  const oh = Math.floor((h + pt + pb - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((w + pl + pr - dw * (kw - 1) - 1) / sw) + 1;
  const o = node.outChannels;
  const perGroupIn = c / node.groups;
  const perGroupOut = o / node.groups;
  const weight = weights.get(`${node.module}.weight`) as Float32Array;
  const bias = node.bias ? weights.get(`${node.module}.bias`) : undefined;
  const out = new Float64Array(n * o * oh * ow);
  for (let b = 0; b < n; b++)
    for (let oc = 0; oc < o; oc++) {
      const g = Math.floor(oc / perGroupOut);
      for (let y = 0; y < oh; y++)
        for (let xx = 0; xx < ow; xx++) {
          let sum = bias ? (bias[oc] as number) : 0;
          for (let ic = 0; ic < perGroupIn; ic++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const iy = y * sh - pt + i * dh;
                const ix = xx * sw - pl + j * dw;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                const v = x.data[((b * c + g * perGroupIn + ic) * h + iy) * w + ix] as number;
                sum += v * (weight[((oc * perGroupIn + ic) * kh + i) * kw + j] as number);
              }
          out[((b * o + oc) * oh + y) * ow + xx] = sum;
        }
    }
  return { data: out, shape: [n, o, oh, ow] };
}

function maxPool(x: Value, node: MaxPoolNode): Value {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [kh, kw] = node.kernel;
  const [sh, sw] = node.stride;
  const [pt, pl, pb, pr] = node.padding;
  const oh = Math.floor((h + pt + pb - kh) / sh) + 1;
  const ow = Math.floor((w + pl + pr - kw) / sw) + 1;
  const out = new Float64Array(n * c * oh * ow).fill(-Infinity);
  for (let m = 0; m < n * c; m++)
    for (let y = 0; y < oh; y++)
      for (let xx = 0; xx < ow; xx++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) {
            const iy = y * sh - pt + i;
            const ix = xx * sw - pl + j;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
            const k = (m * oh + y) * ow + xx;
            out[k] = Math.max(out[k] as number, x.data[(m * h + iy) * w + ix] as number);
          }
  return { data: out, shape: [n, c, oh, ow] };
}

function activation(a: NetworkActivation): (v: number) => number {
  if (a.kind === 'sigmoid') return gateFunction({ type: 'sigmoid' });
  if (a.kind === 'hardsigmoid')
    return gateFunction({ type: 'hardsigmoid', alpha: a.alpha, beta: a.beta });
  return ACTIVATION_FUNCTIONS[a.kind];
}

/**
 * The network's logits in float64 for an NCHW image. With `roundEachNode`, every node's
 * output is rounded to float32: a naive float32 evaluation, whose distance from the float64
 * logits says how much float32 itself loses on this network (se-core's tolerances allow twice that).
 */
export function referenceLogits(
  network: NetworkDefinition,
  weights: Weights,
  image: ArrayLike<number>,
  shape: readonly number[],
  roundEachNode = false,
): Float64Array {
  const values = new Map<string, Value>();
  for (const node of network.nodes) {
    const x = values.get(node.inputs[0] ?? '') as Value;
    const map = (f: (v: number) => number): Value => ({ data: x.data.map(f), shape: x.shape });
    let y: Value;
    switch (node.op) {
      case 'input':
        y = { data: Float64Array.from(image), shape };
        break;
      case 'conv2d':
        y = conv(x, node, weights);
        break;
      case 'batchNorm': {
        const t = (name: string) => weights.get(`${node.module}.${name}`) as Float32Array;
        const [, c, h, w] = x.shape as [number, number, number, number];
        y = {
          data: x.data.map((v, i) => {
            const ch = Math.floor(i / (h * w)) % c;
            const mean = t('running_mean')[ch] as number;
            const variance = t('running_var')[ch] as number;
            return (
              ((v - mean) / Math.sqrt(variance + node.eps)) * (t('weight')[ch] as number) +
              (t('bias')[ch] as number)
            );
          }),
          shape: x.shape,
        };
        break;
      }
      case 'activation':
        y = map(activation(node.activation));
        break;
      case 'se': {
        const spec = parseSESpec(node.spec);
        const block = Object.fromEntries(
          weightSlots(spec)
            .filter((slot) => slot.present)
            .map((slot) => [slot.key, weights.get(`${node.module}.${slot.tensor}`)]),
        );
        y = { data: seReference(spec, block, x.data, x.shape), shape: x.shape };
        break;
      }
      case 'add': {
        const other = values.get(node.inputs[1] as string) as Value;
        y = { data: x.data.map((v, i) => v + (other.data[i] as number)), shape: x.shape };
        break;
      }
      case 'maxPool':
        y = maxPool(x, node);
        break;
      case 'globalAvgPool': {
        const [n, c, h, w] = x.shape as [number, number, number, number];
        const data = new Float64Array(n * c);
        for (let m = 0; m < n * c; m++) {
          let sum = 0;
          for (let k = 0; k < h * w; k++) sum += x.data[m * h * w + k] as number;
          data[m] = sum / (h * w);
        }
        y = { data, shape: [n, c] };
        break;
      }
      case 'linear': {
        const [n] = x.shape as [number];
        const weight = weights.get(`${node.module}.weight`) as Float32Array;
        const bias = node.bias ? weights.get(`${node.module}.bias`) : undefined;
        const data = new Float64Array(n * node.outFeatures);
        for (let b = 0; b < n; b++)
          for (let o = 0; o < node.outFeatures; o++) {
            let sum = bias ? (bias[o] as number) : 0;
            for (let i = 0; i < node.inFeatures; i++)
              sum +=
                (x.data[b * node.inFeatures + i] as number) *
                (weight[o * node.inFeatures + i] as number);
            data[b * node.outFeatures + o] = sum;
          }
        y = { data, shape: [n, node.outFeatures] };
        break;
      }
      default:
        y = x;
    }
    values.set(node.id, roundEachNode ? { data: y.data.map(Math.fround), shape: y.shape } : y);
  }
  return (values.get(network.output) as Value).data;
}
