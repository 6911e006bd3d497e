import {
  describeShape,
  parseSESpec,
  type SEBlock,
  SEShapeError,
  type SESpec,
  type SESpecInput,
  validateSEWeights,
} from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * An SE block's weights as tensors in the canonical (PyTorch `Linear`, se-core) layout:
 * `fc1Weight` [reducedChannels, C], `fc2Weight` [C, reducedChannels].
 */
export interface SEWeightTensors {
  readonly spec: SESpec | SESpecInput;
  readonly fc1Weight: tf.Tensor2D;
  readonly fc1Bias?: tf.Tensor1D;
  readonly fc2Weight: tf.Tensor2D;
  readonly fc2Bias?: tf.Tensor1D;
}

/**
 * An SE block's weights as tensors in the TF.js / Keras `dense` layout (input axis first):
 * `fc1Kernel` [C, reducedChannels], `fc2Kernel` [reducedChannels, C]. This is how the
 * {@link SqueezeExcite} layer stores them.
 */
export interface SEKernelTensors {
  readonly spec: SESpec | SESpecInput;
  readonly fc1Kernel: tf.Tensor2D;
  readonly fc1Bias?: tf.Tensor1D;
  readonly fc2Kernel: tf.Tensor2D;
  readonly fc2Bias?: tf.Tensor1D;
}

/** What {@link seBlock} accepts: a se-core block (typed arrays) or tensors in either layout. */
export type SEBlockInput = SEBlock | SEWeightTensors | SEKernelTensors;

/** A validated block, ready to turn into tensors inside a tidy. */
export interface PreparedBlock {
  readonly spec: SESpec;
  /** Creates (or returns) the tensors; call inside tf.tidy. */
  readonly tensors: () => {
    readonly fc1: tf.Tensor2D;
    readonly fc1Bias?: tf.Tensor1D;
    readonly fc2: tf.Tensor2D;
    readonly fc2Bias?: tf.Tensor1D;
    /** True for the canonical [out, in] layout (multiply by the transpose). */
    readonly transposed: boolean;
  };
}

/**
 * A float32 copy (rounding float64 to nearest): the cpu backend keeps the array it is given,
 * so a caller mutating its weights later must not change an uploaded tensor.
 */
function float32Copy(values: ArrayLike<number>): Float32Array {
  return Float32Array.from(values);
}

function isTensor(value: unknown): value is tf.Tensor {
  return value instanceof tf.Tensor;
}

function checkTensor(
  value: unknown,
  expected: readonly number[],
  field: string,
  swappedHint: string,
): void {
  if (!isTensor(value)) {
    throw new SEShapeError(
      field,
      `a float32 tf.Tensor of shape ${describeShape(expected)}`,
      typeof value,
    );
  }
  if (value.dtype !== 'float32') {
    throw new SEShapeError(`${field}.dtype`, 'float32', value.dtype);
  }
  const same = value.rank === expected.length && value.shape.every((d, i) => d === expected[i]);
  if (!same) {
    const reversed = [...expected].reverse();
    const isSwapped =
      expected.length === 2 &&
      value.rank === 2 &&
      value.shape[0] === reversed[0] &&
      value.shape[1] === reversed[1];
    throw new SEShapeError(
      `${field}.shape`,
      `${describeShape(expected)} for this spec${isSwapped ? ` (${swappedHint})` : ''}`,
      describeShape(value.shape),
    );
  }
}

function checkBiases(
  spec: SESpec,
  block: { fc1Bias?: unknown; fc2Bias?: unknown },
  path: string,
): void {
  for (const [key, length] of [
    ['fc1Bias', spec.reducedChannels],
    ['fc2Bias', spec.channels],
  ] as const) {
    const value = block[key];
    if (!spec.bias) {
      if (value !== undefined) {
        throw new SEShapeError(`${path}.${key}`, 'no bias (spec.bias is false)', 'a tensor');
      }
    } else {
      checkTensor(value, [length], `${path}.${key}`, '');
    }
  }
}

/**
 * Checks a block against its spec (shapes, dtypes, bias presence) without running a kernel,
 * and says how to get its tensors.
 */
export function prepareBlock(block: SEBlockInput, path = 'block'): PreparedBlock {
  if (block === null || typeof block !== 'object' || !('spec' in block)) {
    throw new SEShapeError(
      path,
      '{ spec, weights } (se-core) or { spec, fc1Weight | fc1Kernel, fc2Weight | fc2Kernel, biases? } (tensors)',
      block === null ? 'null' : typeof block,
    );
  }
  const spec = parseSESpec(block.spec, `${path}.spec`);
  const { channels: c, reducedChannels: rd } = spec;
  if ('weights' in block) {
    validateSEWeights(spec, block.weights, `${path}.weights`);
    const { weights } = block;
    return {
      spec,
      tensors: () => ({
        fc1: tf.tensor2d(float32Copy(weights.fc1Weight), [rd, c], 'float32'),
        fc2: tf.tensor2d(float32Copy(weights.fc2Weight), [c, rd], 'float32'),
        ...(weights.fc1Bias
          ? { fc1Bias: tf.tensor1d(float32Copy(weights.fc1Bias), 'float32') }
          : {}),
        ...(weights.fc2Bias
          ? { fc2Bias: tf.tensor1d(float32Copy(weights.fc2Bias), 'float32') }
          : {}),
        transposed: true,
      }),
    };
  }
  if ('fc1Kernel' in block) {
    const hint = 'that is the [out, in] layout: pass it as fc1Weight / fc2Weight';
    checkTensor(block.fc1Kernel, [c, rd], `${path}.fc1Kernel`, hint);
    checkTensor(block.fc2Kernel, [rd, c], `${path}.fc2Kernel`, hint);
    checkBiases(spec, block, path);
    return {
      spec,
      tensors: () => ({
        ...optionalBiases(block),
        fc1: block.fc1Kernel,
        fc2: block.fc2Kernel,
        transposed: false,
      }),
    };
  }
  if ('fc1Weight' in block) {
    const hint = 'that is the [in, out] TF.js kernel layout: pass it as fc1Kernel / fc2Kernel';
    checkTensor(block.fc1Weight, [rd, c], `${path}.fc1Weight`, hint);
    checkTensor(block.fc2Weight, [c, rd], `${path}.fc2Weight`, hint);
    checkBiases(spec, block, path);
    return {
      spec,
      tensors: () => ({
        ...optionalBiases(block),
        fc1: block.fc1Weight,
        fc2: block.fc2Weight,
        transposed: true,
      }),
    };
  }
  throw new SEShapeError(
    path,
    'weights (se-core), fc1Weight/fc2Weight or fc1Kernel/fc2Kernel tensors',
    Object.keys(block).join(', '),
  );
}

function optionalBiases(block: { fc1Bias?: tf.Tensor1D; fc2Bias?: tf.Tensor1D }) {
  return {
    ...(block.fc1Bias ? { fc1Bias: block.fc1Bias } : {}),
    ...(block.fc2Bias ? { fc2Bias: block.fc2Bias } : {}),
  };
}

/**
 * Uploads a se-core block once, for repeated {@link seBlock} calls (a block given as typed
 * arrays is uploaded on every call). Free the tensors with {@link disposeSETensors}.
 *
 * @example
 * ```ts
 * const tensors = toSETensors({ spec, weights });          // canonical layout
 * const y = seBlock(x, tensors);
 * disposeSETensors(tensors);
 * const kernels = toSETensors({ spec, weights }, { layout: 'kernel' }); // TF.js dense layout
 * ```
 */
export function toSETensors(
  block: SEBlock,
  options?: { readonly layout?: 'weight' },
): SEWeightTensors;
export function toSETensors(
  block: SEBlock,
  options: { readonly layout: 'kernel' },
): SEKernelTensors;
export function toSETensors(
  block: SEBlock,
  options: { readonly layout?: 'weight' | 'kernel' } = {},
): SEWeightTensors | SEKernelTensors {
  const layout = options.layout ?? 'weight';
  if (layout !== 'weight' && layout !== 'kernel') {
    throw new SEShapeError(
      'options.layout',
      '"weight" ([out, in]) or "kernel" ([in, out])',
      String(layout),
    );
  }
  const prepared = prepareBlock(block);
  const { spec } = prepared;
  const t = tf.tidy(() => {
    const { fc1, fc2, fc1Bias, fc2Bias } = prepared.tensors();
    const weights = layout === 'weight' ? [fc1, fc2] : [tf.transpose(fc1), tf.transpose(fc2)];
    return [...weights, ...(fc1Bias && fc2Bias ? [fc1Bias, fc2Bias] : [])];
  });
  const [first, second, fc1Bias, fc2Bias] = t as [
    tf.Tensor2D,
    tf.Tensor2D,
    tf.Tensor1D?,
    tf.Tensor1D?,
  ];
  const biases = optionalBiases({ fc1Bias, fc2Bias });
  return layout === 'weight'
    ? { spec, fc1Weight: first, fc2Weight: second, ...biases }
    : { spec, fc1Kernel: first, fc2Kernel: second, ...biases };
}

/**
 * Disposes the tensors made by {@link toSETensors} (or any SE weight tensors you own).
 *
 * @example
 * ```ts
 * const tensors = toSETensors(block);
 * disposeSETensors(tensors);
 * ```
 */
export function disposeSETensors(tensors: SEWeightTensors | SEKernelTensors): void {
  const { spec: _spec, ...owned } = tensors;
  tf.dispose(Object.values(owned) as tf.Tensor[]);
}
