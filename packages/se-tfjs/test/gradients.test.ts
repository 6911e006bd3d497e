import {
  ACTIVATION_FUNCTIONS,
  defineSESpec,
  type Layout,
  onnxDefaultHardSigmoid,
  pytorchHardSigmoid,
  type SEBlock,
  type SESpec,
  seReference,
  sigmoidGate,
} from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasFusedSEKernel, seBlock } from '../src/index.js';
import { describeSpec, randomBlock } from './support/blocks.js';
import { NODE_BACKENDS, useBackend } from './support/node-backends.js';
import { normal, rng } from './support/random.js';

// Gradients of L = Σ y·r (r fixed and random) from tf.grads through seBlock, against central
// finite differences of the float64 seReference. Data are checked to stay away from every kink
// (ReLU at 0, ReLU6 at 0 and 6, hard-swish at ±3, hard-sigmoid knees, max ties), where a
// finite difference would straddle two slopes.

const H = 1e-5;
const MARGIN = 1e-3;

const SPEC_FIELDS: Pick<SESpec, 'squeeze' | 'activation' | 'gate' | 'bias' | 'gain'>[] = [
  { squeeze: 'avg', activation: 'silu', gate: sigmoidGate, bias: true, gain: 1 },
  { squeeze: 'avgmax', activation: 'gelu', gate: pytorchHardSigmoid, bias: false, gain: 2 },
  { squeeze: 'max', activation: 'hardswish', gate: sigmoidGate, bias: true, gain: 1 },
  { squeeze: 'avg', activation: 'relu', gate: onnxDefaultHardSigmoid, bias: true, gain: 1 },
  { squeeze: 'avgmax', activation: 'relu6', gate: sigmoidGate, bias: true, gain: 1 },
];
const SPECS: SESpec[] = SPEC_FIELDS.map((fields) =>
  defineSESpec({ version: 1, channels: 6, reducedChannels: 3, ...fields }),
);

const KINKS: Record<string, readonly number[]> = {
  relu: [0],
  relu6: [0, 6],
  hardswish: [-3, 3],
  silu: [],
  gelu: [],
};

/** Distance from the nearest kink over all pre-activations, logits and max ties. */
function kinkMargin(
  block: SEBlock,
  x: ArrayLike<number>,
  shape: readonly number[],
  layout: Layout,
): number {
  const { spec, weights } = block;
  const [n, a, b, c] = shape as [number, number, number, number];
  const [C, plane] = layout === 'NCHW' ? [a, b * c] : [c, a * b];
  const at = (i: number, ch: number, p: number) =>
    layout === 'NCHW' ? (i * C + ch) * plane + p : (i * plane + p) * C + ch;
  let margin = Number.POSITIVE_INFINITY;
  const act = ACTIVATION_FUNCTIONS[spec.activation];
  for (let i = 0; i < n; i++) {
    const s = new Float64Array(C);
    for (let ch = 0; ch < C; ch++) {
      const values = Array.from({ length: plane }, (_, p) => x[at(i, ch, p)] as number).sort(
        (u, v) => v - u,
      );
      if (spec.squeeze !== 'avg' && values.length > 1)
        margin = Math.min(margin, (values[0] as number) - (values[1] as number));
      const mean = values.reduce((u, v) => u + v, 0) / plane;
      const max = values[0] as number;
      s[ch] = spec.squeeze === 'avg' ? mean : spec.squeeze === 'max' ? max : 0.5 * mean + 0.5 * max;
    }
    const hidden = new Float64Array(spec.reducedChannels);
    for (let j = 0; j < spec.reducedChannels; j++) {
      let z = spec.bias ? (weights.fc1Bias?.[j] as number) : 0;
      for (let ch = 0; ch < C; ch++)
        z += (weights.fc1Weight[j * C + ch] as number) * (s[ch] as number);
      for (const k of KINKS[spec.activation] ?? []) margin = Math.min(margin, Math.abs(z - k));
      hidden[j] = act(z);
    }
    if (spec.gate.type === 'hardsigmoid') {
      const { alpha, beta } = spec.gate;
      for (let ch = 0; ch < C; ch++) {
        let z = spec.bias ? (weights.fc2Bias?.[ch] as number) : 0;
        for (let j = 0; j < spec.reducedChannels; j++)
          z += (weights.fc2Weight[ch * spec.reducedChannels + j] as number) * (hidden[j] as number);
        margin = Math.min(margin, Math.abs(z + beta / alpha), Math.abs(z - (1 - beta) / alpha));
      }
    }
  }
  return margin;
}

function loss64(
  block: SEBlock,
  x: ArrayLike<number>,
  shape: readonly number[],
  layout: Layout,
  r: Float32Array,
): number {
  const y = seReference(block.spec, block.weights, x, shape, layout);
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += (y[i] as number) * (r[i] as number);
  return sum;
}

/** Central differences for a few entries of one parameter (every entry when small). */
function finiteDifferences(
  values: Float64Array,
  evaluate: () => number,
  indices: readonly number[],
): Map<number, number> {
  const out = new Map<number, number>();
  for (const i of indices) {
    const keep = values[i] as number;
    values[i] = keep + H;
    const plus = evaluate();
    values[i] = keep - H;
    const minus = evaluate();
    values[i] = keep;
    out.set(i, (plus - minus) / (2 * H));
  }
  return out;
}

function pick(length: number, count: number, random: () => number): number[] {
  if (length <= count) return Array.from({ length }, (_, i) => i);
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(Math.floor(random() * length));
  return [...chosen];
}

// The fused kernel's hand-written backward pass and the composed ops' automatic one.
const PATHS = NODE_BACKENDS.flatMap((backend) =>
  (['fused', 'composed'] as const).map((path) => [backend, path] as const),
);

describe.each(PATHS)('gradients on %s, %s', (backend, path) => {
  beforeAll(() => useBackend(backend));

  it.each(
    SPECS.flatMap((spec, i) =>
      (['NHWC', 'NCHW'] as const).map((layout) => [describeSpec(spec), layout, spec, i] as const),
    ),
  )('d(Σ y·r)/d(x, weights) match finite differences: %s %s', async (_name, layout, spec, i) => {
    // Find data whose pre-activations keep a margin from every kink (a few seeds at most).
    let seed = 100 * i;
    let block: SEBlock;
    let x: Float64Array;
    const shape = layout === 'NHWC' ? [2, 3, 4, 6] : [2, 6, 3, 4];
    do {
      seed++;
      block = randomBlock(spec, seed);
      x = Float64Array.from(normal(rng(seed + 50), 2 * 3 * 4 * 6));
    } while (kinkMargin(block, x, shape, layout) < MARGIN);
    const r = normal(rng(seed + 99), x.length);

    const params = {
      fc1Weight: Float64Array.from(block.weights.fc1Weight),
      fc2Weight: Float64Array.from(block.weights.fc2Weight),
      ...(spec.bias
        ? {
            fc1Bias: Float64Array.from(block.weights.fc1Bias ?? []),
            fc2Bias: Float64Array.from(block.weights.fc2Bias ?? []),
          }
        : {}),
    };
    const current = (): SEBlock => ({ spec, weights: params });
    const evaluate = () => loss64(current(), x, shape, layout, r);

    const names = Object.keys(params) as (keyof typeof params)[];
    const shapes: Record<string, number[]> = {
      fc1Weight: [3, 6],
      fc2Weight: [6, 3],
      fc1Bias: [3],
      fc2Bias: [6],
    };
    expect(hasFusedSEKernel()).toBe(true);
    const before = tf.memory().numTensors;
    const inputs = [
      tf.tensor(Float32Array.from(x), shape),
      ...names.map((k) => tf.tensor(Float32Array.from(params[k] ?? []), shapes[k])),
    ];
    const rT = tf.tensor(r, shape);
    const grads = tf.grads((...args: tf.Tensor[]) => {
      const [xT, ...weights] = args;
      const tensors = Object.fromEntries(names.map((k, j) => [k, weights[j]]));
      const y = seBlock(
        xT as tf.Tensor4D,
        { spec, ...(tensors as { fc1Weight: tf.Tensor2D; fc2Weight: tf.Tensor2D }) },
        { layout, fused: path === 'fused' },
      );
      return tf.sum(tf.mul(y, rT));
    })(inputs);
    const got = await Promise.all(grads.map((g) => g.data()));
    tf.dispose([...inputs, rT, ...grads]);
    expect(tf.memory().numTensors).toBe(before);

    const random = rng(seed + 7);
    const targets: [string, Float64Array, Float32Array | Int32Array | Uint8Array][] = [
      ['x', x, got[0] as Float32Array],
      ...names.map(
        (k, j) =>
          [k, params[k] as Float64Array, got[j + 1] as Float32Array] as [
            string,
            Float64Array,
            Float32Array,
          ],
      ),
    ];
    for (const [name, values, gradient] of targets) {
      const fd = finiteDifferences(values, evaluate, pick(values.length, 12, random));
      const scale = Math.max(1, ...Array.from(fd.values(), Math.abs));
      for (const [index, expected] of fd) {
        expect(
          Math.abs((gradient[index] as number) - expected),
          `${name}[${index}]: tf ${gradient[index]} vs fd ${expected}`,
        ).toBeLessThan(2e-5 * scale);
      }
    }
  });
});
