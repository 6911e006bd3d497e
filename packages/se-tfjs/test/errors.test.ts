import {
  defineSESpec,
  encodeSEWeights,
  SEError,
  SEShapeError,
  SESpecError,
  SEWeightFormatError,
} from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { input } from '@tensorflow/tfjs-layers';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  type MockInstance,
  vi,
} from 'vitest';
import {
  disposeSETensors,
  loadSEWeights,
  SqueezeExcite,
  seBlock,
  toSETensors,
} from '../src/index.js';
import { randomBlock } from './support/blocks.js';
import { NODE_BACKENDS, useBackend } from './support/node-backends.js';

// Every bad call must fail with a se-core error that names the shapes, before TF.js runs a
// single kernel (checked by spying on the engine) and without leaving a tensor behind.

const spec = defineSESpec({
  version: 2,
  channels: 8,
  excitation: { kind: 'mlp', reducedChannels: 2, activation: 'relu', bias: true },
  gate: { type: 'sigmoid' },
});
const block = randomBlock(spec, 1);

let runKernel: MockInstance;
let tensorsBefore: number;
beforeAll(() => useBackend('cpu'));
beforeEach(() => {
  runKernel = vi.spyOn(tf.engine(), 'runKernel');
  tensorsBefore = tf.memory().numTensors;
});
afterEach(() => runKernel.mockRestore());

/** Asserts `fn` throws `type` with all of `fragments` in its message, with no kernel run. */
function expectEarly(
  fn: () => unknown,
  type: new (...args: never[]) => SEError,
  fragments: readonly string[],
): void {
  runKernel.mockClear();
  const count = tf.memory().numTensors;
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected an error').toBeInstanceOf(type);
  expect(caught).toBeInstanceOf(SEError);
  for (const fragment of fragments) expect((caught as Error).message).toContain(fragment);
  expect(runKernel).not.toHaveBeenCalled();
  expect(tf.memory().numTensors).toBe(count);
}

describe('seBlock rejects bad input before any kernel runs', () => {
  const x = () => tf.zeros([2, 5, 5, 8]) as tf.Tensor4D;

  it('wrong rank', () => {
    const t = tf.zeros([5, 5, 8]);
    expectEarly(() => seBlock(t as unknown as tf.Tensor4D, block), SEShapeError, [
      'x.shape',
      '[5, 5, 8]',
      'rank 4',
    ]);
    t.dispose();
  });

  it('channels that do not match the spec', () => {
    const t = tf.zeros([2, 5, 5, 9]);
    expectEarly(() => seBlock(t as tf.Tensor4D, block), SEShapeError, [
      '[2, 5, 5, 9]',
      '8 channels',
      '9 channels',
    ]);
    t.dispose();
  });

  it('NCHW data passed as NHWC (and the reverse), with a hint', () => {
    const nchw = tf.zeros([2, 8, 5, 6]);
    expectEarly(() => seBlock(nchw as tf.Tensor4D, block), SEShapeError, [
      '[2, 8, 5, 6]',
      "pass layout 'NCHW'",
    ]);
    const nhwc = tf.zeros([2, 5, 6, 8]);
    expectEarly(() => seBlock(nhwc as tf.Tensor4D, block, { layout: 'NCHW' }), SEShapeError, [
      '[2, 5, 6, 8]',
      "pass layout 'NHWC'",
    ]);
    tf.dispose([nchw, nhwc]);
  });

  it('a non-float dtype', () => {
    const t = tf.zeros([2, 5, 5, 8], 'int32');
    expectEarly(() => seBlock(t as tf.Tensor4D, block), SEShapeError, [
      'x.dtype',
      'int32',
      '[2, 5, 5, 8]',
    ]);
    t.dispose();
  });

  it('an unknown layout', () => {
    const t = x();
    expectEarly(() => seBlock(t, block, { layout: 'NWHC' as 'NHWC' }), SEShapeError, [
      'layout',
      'NWHC',
    ]);
    t.dispose();
  });

  it('weights of another spec (typed arrays)', () => {
    const other = randomBlock(
      defineSESpec({ ...spec, excitation: { ...spec.excitation, reducedChannels: 4 } }),
      2,
    );
    const t = x();
    expectEarly(() => seBlock(t, { spec, weights: other.weights }), SEShapeError, [
      'fc1Weight',
      '16 values',
      '[2, 8]',
      '32 values',
    ]);
    t.dispose();
  });

  it('weight tensors in the other layout, with a hint', () => {
    const kernels = toSETensors(block, { layout: 'kernel' });
    const t = x();
    tensorsBefore = tf.memory().numTensors;
    expectEarly(
      () =>
        seBlock(t, {
          spec,
          weights: {
            fc1Weight: kernels.weights.fc1Kernel,
            fc2Weight: kernels.weights.fc2Kernel,
            fc1Bias: kernels.weights.fc1Bias,
            fc2Bias: kernels.weights.fc2Bias,
          },
        }),
      SEShapeError,
      ['fc1Weight.shape', '[2, 8]', '[8, 2]', 'fc1Kernel'],
    );
    tf.dispose(t);
    disposeSETensors(kernels);
  });

  it('biases that the spec does not have', () => {
    const t = x();
    expectEarly(
      () =>
        seBlock(t, {
          spec: { ...spec, excitation: { ...spec.excitation, bias: false } },
          weights: block.weights,
        }),
      SEShapeError,
      ['fc1Bias', 'spec.excitation.bias is false'],
    );
    t.dispose();
  });

  it('an invalid spec (hard-sigmoid without explicit alpha)', () => {
    const t = x();
    expectEarly(
      () =>
        seBlock(t, {
          spec: { ...spec, gate: { type: 'hardsigmoid', beta: 0.5 } as never },
          weights: block.weights,
        }),
      SESpecError,
      ['spec.gate.alpha', 'PyTorch alpha 1/6'],
    );
    t.dispose();
  });

  it('non-finite weights', () => {
    const t = x();
    const weights = {
      ...block.weights,
      fc2Weight: Float32Array.from(block.weights.fc2Weight ?? [], (v, i) =>
        i === 3 ? Number.NaN : v,
      ),
    };
    expectEarly(() => seBlock(t, { spec, weights }), SEWeightFormatError, ['fc2Weight[3]', 'NaN']);
    t.dispose();
  });
});

describe.each(
  NODE_BACKENDS.flatMap((backend) => [true, false].map((fused) => [backend, fused] as const)),
)('disposed tensors on %s (fused %s): SEShapeError naming the argument', (backend, fused) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => useBackend('cpu'));

  it('a disposed x', () => {
    const t = tf.zeros([2, 5, 5, 8]) as tf.Tensor4D;
    t.dispose();
    expectEarly(() => seBlock(t, block, { fused }), SEShapeError, ['x:', 'was disposed']);
  });

  it('a disposed weight tensor, either layout', () => {
    const t = tf.zeros([2, 5, 5, 8]) as tf.Tensor4D;
    for (const layout of ['weight', 'kernel'] as const) {
      const tensors = toSETensors(block, { layout });
      const key = layout === 'weight' ? 'fc2Weight' : 'fc2Kernel';
      tensors.weights[key]?.dispose();
      expectEarly(() => seBlock(t, tensors, { fused }), SEShapeError, [
        `block.weights.${key}`,
        'was disposed',
      ]);
      disposeSETensors(tensors);
    }
    t.dispose();
  });
});

describe('weights by key', () => {
  it('an unknown key, the layouts mixed, or the weights next to the spec', () => {
    const t = tf.zeros([2, 5, 5, 8]) as tf.Tensor4D;
    const kernels = toSETensors(block, { layout: 'kernel' });
    const weights = toSETensors(block);
    tensorsBefore = tf.memory().numTensors;
    expectEarly(
      () =>
        seBlock(t, { spec, weights: { ...weights.weights, fcWeight: weights.weights.fc1Weight } }),
      SEShapeError,
      ['block.weights.fcWeight', 'no such weight for excitation kind "mlp"'],
    );
    expectEarly(
      () =>
        seBlock(t, { spec, weights: { ...weights.weights, fc1Kernel: kernels.weights.fc1Kernel } }),
      SEShapeError,
      [
        'every matrix in one layout',
        'fc1Weight, fc2Weight ([out, in]) or fc1Kernel, fc2Kernel ([in, out])',
      ],
    );
    expectEarly(() => seBlock(t, { spec, ...weights.weights } as never), SEShapeError, [
      'block.weights',
      'not next to the spec: fc1Weight',
    ]);
    disposeSETensors(kernels);
    disposeSETensors(weights);
    t.dispose();
  });
});

describe('the SqueezeExcite layer rejects bad input with se-core errors', () => {
  it('at build time, for a symbolic input of the wrong layout', () => {
    const layer = new SqueezeExcite({ spec: { channels: 8, reducedChannels: 2 } });
    expectEarly(() => layer.apply(input({ shape: [8, 5, 6] })), SEShapeError, [
      '[null, 8, 5, 6]',
      "pass layout 'NCHW'",
    ]);
  });

  it('at call time, for an int32 tensor', () => {
    const layer = new SqueezeExcite({ spec: { reducedChannels: 2 } });
    layer.apply(input({ shape: [5, 5, 8] }));
    const t = tf.zeros([1, 5, 5, 8], 'int32');
    expectEarly(() => layer.apply(t), SEShapeError, ['x.dtype', 'int32']);
    t.dispose();
    layer.dispose();
  });

  it('for a spec that cannot be built (rule gives 0 hidden units)', () => {
    expect(() => new SqueezeExcite({ spec: { channels: 8 } })).toThrow(SESpecError);
    expect(() => new SqueezeExcite({ spec: { channels: 8 } })).toThrow(
      /rule "paper" gives 0 for 8 channels/,
    );
  });

  it('for a reducedChannels that contradicts the rule', () => {
    expect(
      () => new SqueezeExcite({ spec: { channels: 64, reducedChannels: 4 }, rule: 'timm-se' }),
    ).toThrow(/reducedChannels.*8 \(what rule "timm-se" gives for 64 channels\)/);
  });

  it('loadSEWeights with another spec lists the differences', () => {
    const layer = new SqueezeExcite({
      spec: {
        channels: 8,
        reducedChannels: 2,
        gate: { type: 'hardsigmoid', alpha: 0.2, beta: 0.5 },
      },
    });
    expectEarly(() => loadSEWeights(layer, encodeSEWeights(block)), SESpecError, [
      'gate',
      'sigmoid',
      '0.2',
    ]);
  });

  it('loadSEWeights with a damaged file', () => {
    const layer = new SqueezeExcite({ spec: { channels: 8, reducedChannels: 2 } });
    const bytes = encodeSEWeights(block).slice(0, 40);
    expectEarly(() => loadSEWeights(layer, bytes), SEWeightFormatError, []);
  });
});

it('leaves no tensor behind across the whole file', () => {
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});
