import {
  defineSESpec,
  type Layout,
  onnxDefaultHardSigmoid,
  pytorchHardSigmoid,
  type SEBlock,
  type SESpec,
  seReference,
  seReferenceDetailed,
  sigmoidGate,
  type TwoLayerFields,
  weightSlots,
} from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasFusedSEKernel, seBlock } from '../src/index.js';
import { describeSpec, randomBlock } from './support/blocks.js';
import { NODE_BACKENDS, useBackend } from './support/node-backends.js';
import { normal, rng } from './support/random.js';

// Gradients of L = Σ y·r (r fixed and random) from tf.grads through seBlock, against central
// finite differences of the float64 seReference, for every excitation kind. Data are checked
// to stay away from every kink (ReLU at 0, ReLU6 at 0 and 6, hard-swish at ±3, hard-sigmoid
// knees, max ties), where a finite difference would straddle two slopes.

const H = 1e-5;
const MARGIN = 1e-3;
const C = 6;

const mlp = (activation: TwoLayerFields['activation'], bias: boolean) =>
  ({ kind: 'mlp', reducedChannels: 3, activation, bias }) as const;
const SPECS: SESpec[] = [
  defineSESpec({
    version: 2,
    channels: C,
    squeeze: 'avg',
    excitation: mlp('silu', true),
    gate: sigmoidGate,
  }),
  defineSESpec({
    version: 2,
    channels: C,
    squeeze: 'avgmax',
    excitation: mlp('gelu', false),
    gate: pytorchHardSigmoid,
    gain: 2,
  }),
  defineSESpec({
    version: 2,
    channels: C,
    squeeze: 'max',
    excitation: mlp('hardswish', true),
    gate: sigmoidGate,
  }),
  defineSESpec({
    version: 2,
    channels: C,
    squeeze: 'avg',
    excitation: mlp('relu', true),
    gate: onnxDefaultHardSigmoid,
  }),
  defineSESpec({
    version: 2,
    channels: C,
    squeeze: 'avgmax',
    excitation: mlp('relu6', true),
    gate: sigmoidGate,
  }),
  defineSESpec({
    version: 2,
    channels: C,
    squeeze: 'avg',
    excitation: { kind: 'ese', bias: true },
    gate: pytorchHardSigmoid,
  }),
  defineSESpec({
    version: 2,
    channels: C,
    squeeze: 'max',
    excitation: { kind: 'ese', bias: false },
    gate: sigmoidGate,
    gain: 2,
  }),
  defineSESpec({
    version: 2,
    channels: C,
    excitation: { kind: 'cbam', reducedChannels: 3, activation: 'relu', bias: true },
    gate: sigmoidGate,
  }),
  defineSESpec({
    version: 2,
    channels: C,
    excitation: { kind: 'cbam', reducedChannels: 3, activation: 'silu', bias: false },
    gate: pytorchHardSigmoid,
  }),
  defineSESpec({
    version: 2,
    channels: C,
    squeeze: 'avgmax',
    excitation: { kind: 'eca', kernelSize: 3 },
    gate: sigmoidGate,
  }),
  // k > C: the outer taps only ever meet the zero padding, and get no gradient.
  defineSESpec({
    version: 2,
    channels: C,
    squeeze: 'max',
    excitation: { kind: 'eca', kernelSize: 9 },
    gate: pytorchHardSigmoid,
    gain: 2,
  }),
];

const KINKS: Record<string, readonly number[]> = {
  relu: [0],
  relu6: [0, 6],
  hardswish: [-3, 3],
  silu: [],
  gelu: [],
};

/** Distance from the nearest kink over max ties, hidden pre-activations and gate knees. */
function kinkMargin(
  block: SEBlock,
  x: ArrayLike<number>,
  shape: readonly number[],
  layout: Layout,
): number {
  const { spec, weights } = block;
  const [n, a, b, c] = shape as [number, number, number, number];
  const [channels, plane] = layout === 'NCHW' ? [a, b * c] : [c, a * b];
  const at = (i: number, ch: number, p: number) =>
    layout === 'NCHW' ? (i * channels + ch) * plane + p : (i * plane + p) * channels + ch;
  let margin = Number.POSITIVE_INFINITY;
  if (spec.squeeze !== 'avg') {
    for (let i = 0; i < n; i++)
      for (let ch = 0; ch < channels; ch++) {
        const values = Array.from({ length: plane }, (_, p) => x[at(i, ch, p)] as number).sort(
          (u, v) => v - u,
        );
        if (values.length > 1)
          margin = Math.min(margin, (values[0] as number) - (values[1] as number));
      }
  }
  const detail = seReferenceDetailed(spec, weights, x, shape, layout);
  // The hidden units of the two-layer kinds (mlp, cbam) have the activation's kinks.
  if ('activation' in spec.excitation) {
    const { reducedChannels: rd, activation } = spec.excitation as TwoLayerFields;
    const w1 = weights.fc1Weight as Float32Array;
    for (const d of detail.descriptors)
      for (let i = 0; i < n; i++)
        for (let j = 0; j < rd; j++) {
          let z = (weights.fc1Bias?.[j] as number | undefined) ?? 0;
          for (let ch = 0; ch < channels; ch++)
            z += (w1[j * channels + ch] as number) * (d[i * channels + ch] as number);
          for (const k of KINKS[activation] ?? []) margin = Math.min(margin, Math.abs(z - k));
        }
  }
  if (spec.gate.type === 'hardsigmoid') {
    const { alpha, beta } = spec.gate;
    for (const z of detail.logits)
      margin = Math.min(margin, Math.abs(z + beta / alpha), Math.abs(z - (1 - beta) / alpha));
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

/** Data away from every kink, for spec number i (a few seeds at most). */
function dataFor(spec: SESpec, i: number, layout: Layout) {
  let seed = 100 * i;
  let block: SEBlock;
  let x: Float64Array;
  const shape = layout === 'NHWC' ? [2, 3, 4, C] : [2, C, 3, 4];
  do {
    seed++;
    block = randomBlock(spec, seed);
    x = Float64Array.from(normal(rng(seed + 50), 2 * 3 * 4 * C));
  } while (kinkMargin(block, x, shape, layout) < MARGIN);
  const slots = weightSlots(spec).filter((slot) => slot.present);
  const params: Record<string, Float64Array> = Object.fromEntries(
    slots.map((slot) => [slot.key, Float64Array.from(block.weights[slot.key] ?? [])]),
  );
  const shapes = Object.fromEntries(slots.map((slot) => [slot.key, [...slot.shape]]));
  return {
    seed,
    x,
    shape,
    params,
    shapes,
    names: slots.map((slot) => slot.key),
    r: normal(rng(seed + 99), x.length),
  };
}

/** dL/dx and dL/d every weight through seBlock, leaving no tensor behind. */
async function gradients(
  spec: SESpec,
  data: ReturnType<typeof dataFor>,
  layout: Layout,
  fused: boolean,
): Promise<Float32Array[]> {
  const { x, shape, params, shapes, names, r } = data;
  const before = tf.memory().numTensors;
  const inputs = [
    tf.tensor(Float32Array.from(x), shape),
    ...names.map((k) => tf.tensor(Float32Array.from(params[k] ?? []), shapes[k])),
  ];
  const rT = tf.tensor(r, shape);
  const grads = tf.grads((...args: tf.Tensor[]) => {
    const [xT, ...weights] = args;
    const tensors = Object.fromEntries(names.map((k, j) => [k, weights[j]]));
    const y = seBlock(xT as tf.Tensor4D, { spec, weights: tensors }, { layout, fused });
    return tf.sum(tf.mul(y, rT));
  })(inputs);
  const got = (await Promise.all(grads.map((g) => g.data()))) as Float32Array[];
  tf.dispose([...inputs, rT, ...grads]);
  expect(tf.memory().numTensors).toBe(before);
  return got;
}

const CASES = SPECS.flatMap((spec, i) =>
  (['NHWC', 'NCHW'] as const).map((layout) => [describeSpec(spec), layout, spec, i] as const),
);

// The fused kernel's hand-written backward pass and the composed ops' automatic one.
const PATHS = NODE_BACKENDS.flatMap((backend) =>
  (['fused', 'composed'] as const).map((path) => [backend, path] as const),
);

describe.each(PATHS)('gradients on %s, %s', (backend, path) => {
  beforeAll(() => useBackend(backend));

  it.each(CASES)(
    'd(Σ y·r)/d(x, weights) match finite differences: %s %s',
    async (_name, layout, spec, i) => {
      expect(hasFusedSEKernel()).toBe(true);
      const data = dataFor(spec, i, layout);
      const got = await gradients(spec, data, layout, path === 'fused');
      const evaluate = () =>
        loss64({ spec, weights: data.params }, data.x, data.shape, layout, data.r);
      const random = rng(data.seed + 7);
      const targets: [string, Float64Array, Float32Array][] = [
        ['x', data.x, got[0] as Float32Array],
        ...data.names.map(
          (k, j) =>
            [k, data.params[k] as Float64Array, got[j + 1] as Float32Array] as [
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
    },
  );
});

describe.each(NODE_BACKENDS)('fused and composed gradients on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(CASES)('agree to float32 rounding: %s %s', async (_name, layout, spec, i) => {
    const data = dataFor(spec, i, layout);
    const fused = await gradients(spec, data, layout, true);
    const composed = await gradients(spec, data, layout, false);
    fused.forEach((g, j) => {
      const reference = composed[j] as Float32Array;
      const scale = Math.max(1, ...Array.from(reference, Math.abs));
      g.forEach((v, k) => {
        expect(Math.abs(v - (reference[k] as number)), `input ${j}[${k}]`).toBeLessThan(
          1e-6 * scale,
        );
      });
    });
  });
});
