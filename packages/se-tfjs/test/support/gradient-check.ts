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
import { expect } from 'vitest';
import { type SEResidualActivation, seBlock, seResidualBlock } from '../../src/index.js';
import { randomBlock } from './blocks.js';
import { normal, rng } from './random.js';

// Gradient checks shared by gradients.test.ts (the block) and residual-gradients.test.ts (the
// block followed by a residual addition and activation): L = Σ out·r (r fixed and random)
// through tf.grads, against central finite differences of the float64 seReference. Data are
// drawn away from every kink (ReLU at 0, ReLU6 at 0 and 6, hard-swish at ±3, hard-sigmoid
// knees, max ties, and the residual's ReLU at 0), where a difference would straddle two slopes.

const H = 1e-5;
const MARGIN = 1e-3;
const C = 6;

const mlp = (activation: TwoLayerFields['activation'], bias: boolean) =>
  ({ kind: 'mlp', reducedChannels: 3, activation, bias }) as const;
export const SPECS: SESpec[] = [
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
  defineSESpec({
    version: 2,
    channels: C,
    excitation: { kind: 'ceca', kernelSize: 3 },
    gate: sigmoidGate,
  }),
  // (k − 1)/2 = C: every tap wraps around, each channel meets some taps twice.
  defineSESpec({
    version: 2,
    channels: C,
    squeeze: 'avgmax',
    excitation: { kind: 'ceca', kernelSize: 2 * C + 1 },
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

/** The residual unit around the block, when a check has one: act(y + shortcut). */
export interface ResidualCase {
  readonly activation: SEResidualActivation;
}

/** out = y, or act(y + s) for a residual, in float64. */
function output64(
  block: SEBlock,
  data: { readonly x: ArrayLike<number>; readonly s: Float64Array },
  shape: readonly number[],
  layout: Layout,
  residual: ResidualCase | undefined,
): Float64Array {
  const y = seReference(block.spec, block.weights, data.x, shape, layout);
  if (!residual) return y;
  return y.map((v, i) => {
    const u = v + (data.s[i] as number);
    return residual.activation === 'relu' ? Math.max(u, 0) : u;
  });
}

function loss64(
  block: SEBlock,
  data: { readonly x: ArrayLike<number>; readonly s: Float64Array },
  shape: readonly number[],
  layout: Layout,
  r: Float32Array,
  residual: ResidualCase | undefined,
): number {
  const out = output64(block, data, shape, layout, residual);
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += (out[i] as number) * (r[i] as number);
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

/** The smallest |y + s| over every element: the residual ReLU's kink. */
function residualMargin(
  block: SEBlock,
  x: Float64Array,
  s: Float64Array,
  shape: number[],
  layout: Layout,
) {
  const y = seReference(block.spec, block.weights, x, shape, layout);
  return y.reduce(
    (m, v, i) => Math.min(m, Math.abs(v + (s[i] as number))),
    Number.POSITIVE_INFINITY,
  );
}

/**
 * Data away from every kink, for spec number i (a few seeds at most); with a residual, also a
 * shortcut `s` away from the ReLU's kink.
 */
export function dataFor(spec: SESpec, i: number, layout: Layout, residual?: ResidualCase) {
  let seed = 100 * i;
  let block: SEBlock;
  let x: Float64Array;
  let s: Float64Array;
  const shape = layout === 'NHWC' ? [2, 3, 4, C] : [2, C, 3, 4];
  const count = 2 * 3 * 4 * C;
  const nearKink = () =>
    kinkMargin(block, x, shape, layout) < MARGIN ||
    (residual?.activation === 'relu' && residualMargin(block, x, s, shape, layout) < MARGIN);
  do {
    seed++;
    block = randomBlock(spec, seed);
    x = Float64Array.from(normal(rng(seed + 50), count));
    s = Float64Array.from(normal(rng(seed + 60), count));
  } while (nearKink());
  const slots = weightSlots(spec).filter((slot) => slot.present);
  const params: Record<string, Float64Array> = Object.fromEntries(
    slots.map((slot) => [slot.key, Float64Array.from(block.weights[slot.key] ?? [])]),
  );
  const shapes = Object.fromEntries(slots.map((slot) => [slot.key, [...slot.shape]]));
  return {
    seed,
    x,
    s,
    shape,
    params,
    shapes,
    names: slots.map((slot) => slot.key),
    r: normal(rng(seed + 99), count),
  };
}

export type GradientData = ReturnType<typeof dataFor>;

/**
 * dL/dx (then dL/ds with a residual) and dL/d every weight through seBlock or seResidualBlock,
 * leaving no tensor behind.
 */
export async function gradients(
  spec: SESpec,
  data: GradientData,
  layout: Layout,
  fused: boolean,
  residual?: ResidualCase,
): Promise<Float32Array[]> {
  const { x, s, shape, params, shapes, names, r } = data;
  const before = tf.memory().numTensors;
  const leading = residual ? [x, s] : [x];
  const inputs = [
    ...leading.map((values) => tf.tensor(Float32Array.from(values), shape)),
    ...names.map((k) => tf.tensor(Float32Array.from(params[k] ?? []), shapes[k])),
  ];
  const rT = tf.tensor(r, shape);
  const grads = tf.grads((...args: tf.Tensor[]) => {
    const [xT, ...rest] = args as tf.Tensor4D[];
    const sT = residual ? (rest.shift() as tf.Tensor4D) : undefined;
    const tensors = Object.fromEntries(names.map((k, j) => [k, rest[j]]));
    const block = { spec, weights: tensors };
    const out =
      residual && sT
        ? seResidualBlock(xT as tf.Tensor4D, sT, block, { layout, fused, ...residual })
        : seBlock(xT as tf.Tensor4D, block, { layout, fused });
    return tf.sum(tf.mul(out, rT));
  })(inputs);
  const got = (await Promise.all(grads.map((g) => g.data()))) as Float32Array[];
  tf.dispose([...inputs, rT, ...grads]);
  expect(tf.memory().numTensors).toBe(before);
  return got;
}

/** Each gradient (as {@link gradients} returns them) against central finite differences. */
export function expectFiniteDifferences(
  spec: SESpec,
  data: GradientData,
  layout: Layout,
  got: readonly Float32Array[],
  residual?: ResidualCase,
): void {
  const evaluate = () =>
    loss64({ spec, weights: data.params }, data, data.shape, layout, data.r, residual);
  const random = rng(data.seed + 7);
  const leading: [string, Float64Array][] = residual
    ? [
        ['x', data.x],
        ['shortcut', data.s],
      ]
    : [['x', data.x]];
  const targets: [string, Float64Array][] = [
    ...leading,
    ...data.names.map((k): [string, Float64Array] => [k, data.params[k] as Float64Array]),
  ];
  targets.forEach(([name, values], j) => {
    const gradient = got[j] as Float32Array;
    const fd = finiteDifferences(values, evaluate, pick(values.length, 12, random));
    const scale = Math.max(1, ...Array.from(fd.values(), Math.abs));
    for (const [index, expected] of fd) {
      expect(
        Math.abs((gradient[index] as number) - expected),
        `${name}[${index}]: tf ${gradient[index]} vs fd ${expected}`,
      ).toBeLessThan(2e-5 * scale);
    }
  });
}

/** Two sets of gradients agree to float32 rounding (relative to each one's largest entry). */
export function expectSameGradients(
  actual: readonly Float32Array[],
  reference: readonly Float32Array[],
): void {
  expect(actual.length).toBe(reference.length);
  actual.forEach((g, j) => {
    const expected = reference[j] as Float32Array;
    const scale = Math.max(1, ...Array.from(expected, Math.abs));
    g.forEach((v, k) => {
      expect(Math.abs(v - (expected[k] as number)), `input ${j}[${k}]`).toBeLessThan(1e-6 * scale);
    });
  });
}
