import {
  type SEBlockInput as CoreBlockInput,
  parseSESpec,
  SEShapeError,
  type SESpec,
  type SESpecInput,
  validateSEWeights,
  type WeightSlot,
  weightSlots,
} from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import type { KindTensors } from '../excitation/kind.js';
import { type AnyTfjsKind, tfjsKind } from '../excitation/registry.js';
import { checkTensor } from '../validate.js';

/**
 * An SE block's weights as float32 tensors, by se-core weight key (`fc1Weight`, `fcWeight`,
 * `convWeight`, …) in the canonical layout (PyTorch's [out, in]). A matrix may instead go by
 * its TF.js dense key (`fc1Kernel`, `fc2Kernel`, `fcKernel`) in the [in, out] layout: then
 * every matrix of the block does.
 */
export type SEWeightTensors = { readonly [key: string]: tf.Tensor | undefined };

/** An SE block whose weights are tensors (see {@link toSETensors}). */
export interface SETensorBlock {
  readonly spec: SESpec | SESpecInput;
  readonly weights: SEWeightTensors;
}

/**
 * What {@link seBlock} accepts: a se-core block `{ spec, weights }` with typed arrays (uploaded
 * on every call), or the same with tensors.
 */
export type SEBlockInput = CoreBlockInput | SETensorBlock;

/** A validated block, ready to turn into tensors inside a tidy. */
export interface PreparedBlock {
  readonly spec: SESpec;
  readonly kind: AnyTfjsKind;
  /** True when the matrices are in TF.js' [in, out] layout. */
  readonly kernelLayout: boolean;
  /** The present weights' keys, in the kind's slot order (the fused kernel's input order). */
  readonly keys: readonly string[];
  /** The weight tensors by weight key (uploads typed arrays: call inside tf.tidy). */
  readonly tensors: () => KindTensors;
}

/** The key and shape a weight is given under, in either layout. */
function givenAs(slot: WeightSlot, kind: AnyTfjsKind, kernelLayout: boolean) {
  const kernelKey = kind.kernelKeys[slot.key];
  return kernelLayout && kernelKey
    ? {
        key: kernelKey,
        shape: [...slot.shape].reverse(),
        other: slot.key,
        otherLayout: '[out, in]',
      }
    : {
        key: slot.key,
        shape: [...slot.shape],
        other: kernelKey,
        otherLayout: '[in, out] TF.js kernel',
      };
}

/** Checks tensor weights against the spec's slots; returns whether they are in the kernel layout. */
function checkTensorWeights(
  spec: SESpec,
  kind: AnyTfjsKind,
  weights: SEWeightTensors,
  path: string,
): boolean {
  const slots = weightSlots(spec);
  const kernelKeys = Object.values(kind.kernelKeys);
  const given = Object.keys(weights).filter((key) => weights[key] !== undefined);
  const names = [...slots.map((s) => s.key), ...kernelKeys];
  for (const key of given) {
    if (!names.includes(key)) {
      throw new SEShapeError(
        `${path}.${key}`,
        `no such weight for excitation kind "${spec.excitation.kind}" (its weights: ${names.join(', ')})`,
        'a tensor',
      );
    }
  }
  const kernelLayout = given.some((key) => kernelKeys.includes(key));
  const canonical = given.filter((key) => key in kind.kernelKeys);
  if (kernelLayout && canonical.length > 0) {
    throw new SEShapeError(
      path,
      `every matrix in one layout: ${Object.keys(kind.kernelKeys).join(', ')} ([out, in]) or ${kernelKeys.join(', ')} ([in, out])`,
      given.join(', '),
    );
  }
  for (const slot of slots) {
    const { key, shape, other, otherLayout } = givenAs(slot, kind, kernelLayout);
    const field = `${path}.${key}`;
    if (!slot.present) {
      if (weights[key] !== undefined) {
        throw new SEShapeError(field, `no such weight (${slot.absentBecause})`, 'a tensor');
      }
      continue;
    }
    const hint = other ? `that is the ${otherLayout} layout: pass it as ${other}` : '';
    checkTensor(weights[key], shape, field, hint);
  }
  return kernelLayout;
}

const isTensor = (value: unknown): value is tf.Tensor => value instanceof tf.Tensor;

/**
 * Checks a block against its spec (shapes, dtypes, which weights exist, live tensors) without
 * running a kernel, and says how to get its tensors.
 */
export function prepareBlock(block: SEBlockInput, path = 'block'): PreparedBlock {
  if (block === null || typeof block !== 'object' || !('spec' in block)) {
    throw new SEShapeError(
      path,
      '{ spec, weights } (typed arrays or tensors)',
      describeValue(block),
    );
  }
  const spec = parseSESpec(block.spec, `${path}.spec`);
  const kind = tfjsKind(spec.excitation.kind);
  const keys = weightSlots(spec)
    .filter((slot) => slot.present)
    .map((slot) => slot.key);
  const { weights } = block as { weights?: unknown };
  if (weights === null || typeof weights !== 'object') {
    const flat = Object.keys(block).filter((key) => key !== 'spec');
    throw new SEShapeError(
      `${path}.weights`,
      `{ ${keys.join(', ')} } as typed arrays or tensors${flat.length > 0 ? ` (the weights go inside \`weights\`, not next to the spec: ${flat.join(', ')})` : ''}`,
      describeValue(weights),
    );
  }
  const values = Object.values(weights as object);
  if (values.some(isTensor)) {
    const tensors = weights as SEWeightTensors;
    const kernelLayout = checkTensorWeights(spec, kind, tensors, `${path}.weights`);
    const byKey = Object.fromEntries(
      weightSlots(spec)
        .filter((slot) => slot.present)
        .map((slot) => [slot.key, tensors[givenAs(slot, kind, kernelLayout).key] as tf.Tensor]),
    );
    return { spec, kind, kernelLayout, keys, tensors: () => byKey };
  }
  const arrays = (block as CoreBlockInput).weights;
  validateSEWeights(spec, arrays, `${path}.weights`);
  const shapes = Object.fromEntries(weightSlots(spec).map((slot) => [slot.key, slot.shape]));
  return {
    spec,
    kind,
    kernelLayout: false,
    keys,
    // A float32 copy: the cpu backend keeps the array it is given, so a caller mutating its
    // weights later must not change an uploaded tensor (float64 rounds to nearest).
    tensors: () =>
      Object.fromEntries(
        keys.map((key) => [
          key,
          tf.tensor(
            Float32Array.from(arrays[key] as ArrayLike<number>),
            [...(shapes[key] ?? [])],
            'float32',
          ),
        ]),
      ),
  };
}

function describeValue(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/**
 * Uploads a se-core block once, for repeated {@link seBlock} calls (a block given as typed
 * arrays is uploaded on every call). Free the tensors with {@link disposeSETensors}.
 *
 * @example
 * ```ts
 * const tensors = toSETensors({ spec, weights });           // canonical layout: fc1Weight …
 * const y = seBlock(x, tensors);
 * disposeSETensors(tensors);
 * const kernels = toSETensors({ spec, weights }, { layout: 'kernel' }); // fc1Kernel [in, out] …
 * ```
 */
export function toSETensors(
  block: CoreBlockInput,
  options: { readonly layout?: 'weight' | 'kernel' } = {},
): SETensorBlock & {
  readonly spec: SESpec;
  readonly weights: Readonly<Record<string, tf.Tensor>>;
} {
  const layout = options.layout ?? 'weight';
  if (layout !== 'weight' && layout !== 'kernel') {
    throw new SEShapeError(
      'options.layout',
      '"weight" ([out, in]) or "kernel" ([in, out])',
      String(layout),
    );
  }
  const prepared = prepareBlock(block);
  const { spec, kind, keys } = prepared;
  const tensors = prepared.tensors();
  const weights: Record<string, tf.Tensor> = {};
  tf.tidy(() => {
    for (const key of keys) {
      const t = tensors[key] as tf.Tensor;
      const kernelKey = kind.kernelKeys[key];
      if (layout === 'kernel' && kernelKey) {
        weights[kernelKey] = tf.keep(tf.transpose(t));
        t.dispose();
      } else weights[key] = t;
    }
  });
  return { spec, weights };
}

/**
 * Disposes the tensors of a block made by {@link toSETensors} (or any SE weight tensors you own).
 *
 * @example
 * ```ts
 * const tensors = toSETensors(block);
 * disposeSETensors(tensors);
 * ```
 */
export function disposeSETensors(block: SETensorBlock): void {
  tf.dispose(Object.values(block.weights).filter(isTensor));
}
