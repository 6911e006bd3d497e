import { describeShape, SEWeightFormatError } from '../errors/index.js';
import type { SESpec } from '../spec/types.js';
import { canonicalSpecJSON, parseSESpec } from '../spec/validate.js';
import type { FloatDType } from './dtypes.js';
import type { DecodedTensor, TensorToWrite } from './safetensors.js';
import { type SEBlock, type SEWeights, TENSOR_NAMES } from './types.js';
import { validateSEWeights } from './validate.js';

/** `prefix.name`, or `name` when the prefix is empty. */
export function tensorName(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

/** The tensors of one block, named under `prefix`, for encodeSafetensors. */
export function blockTensors(
  block: SEBlock,
  prefix: string,
  dtype: FloatDType,
): Record<string, TensorToWrite> {
  const { spec, weights } = block;
  validateSEWeights(spec, weights, prefix ? `blocks["${prefix}"].weights` : 'weights');
  const out: Record<string, TensorToWrite> = {
    [tensorName(prefix, TENSOR_NAMES.fc1Weight)]: {
      shape: [spec.reducedChannels, spec.channels],
      values: weights.fc1Weight,
      dtype,
    },
    [tensorName(prefix, TENSOR_NAMES.fc2Weight)]: {
      shape: [spec.channels, spec.reducedChannels],
      values: weights.fc2Weight,
      dtype,
    },
  };
  if (spec.bias) {
    out[tensorName(prefix, TENSOR_NAMES.fc1Bias)] = {
      shape: [spec.reducedChannels],
      values: weights.fc1Bias as ArrayLike<number>,
      dtype,
    };
    out[tensorName(prefix, TENSOR_NAMES.fc2Bias)] = {
      shape: [spec.channels],
      values: weights.fc2Bias as ArrayLike<number>,
      dtype,
    };
  }
  return out;
}

/** Parses a spec stored as a JSON string in file metadata. */
export function specFromMetadata(text: string | undefined, field: string): SESpec {
  if (text === undefined)
    throw new SEWeightFormatError(
      field,
      'missing: the file does not say which SE spec its weights belong to',
    );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SEWeightFormatError(
      field,
      `expected a JSON spec: ${(error as Error).message.slice(0, 120)}`,
    );
  }
  try {
    return parseSESpec(json, field);
  } catch (error) {
    // Re-type as a format error: the file is what is wrong, and the spec field is named inside.
    throw new SEWeightFormatError(field, (error as Error).message);
  }
}

export function specToMetadata(spec: SESpec): string {
  return JSON.stringify(canonicalSpecJSON(spec));
}

function take(
  tensors: ReadonlyMap<string, DecodedTensor>,
  consumed: Set<string>,
  name: string,
  shapes: readonly (readonly number[])[],
): DecodedTensor {
  const tensor = tensors.get(name);
  if (!tensor)
    throw new SEWeightFormatError(
      `tensor ${name}`,
      `missing (expected shape ${describeShape(shapes[0] as number[])})`,
    );
  const matches = shapes.some(
    (shape) => shape.length === tensor.shape.length && shape.every((d, i) => d === tensor.shape[i]),
  );
  if (!matches) {
    throw new SEWeightFormatError(
      `tensor ${name}.shape`,
      `expected ${shapes.map((s) => describeShape(s as number[])).join(' or ')} for the spec, received ${describeShape(tensor.shape)}`,
    );
  }
  for (let i = 0; i < tensor.values.length; i++) {
    if (!Number.isFinite(tensor.values[i] as number)) {
      throw new SEWeightFormatError(
        `tensor ${name}[${i}]`,
        `expected a finite value, received ${tensor.values[i]}`,
      );
    }
  }
  consumed.add(name);
  return tensor;
}

/** Reads the weights of `spec` under `prefix`, accepting conv-shaped [out, in, 1, 1] weights. */
export function readBlockWeights(
  tensors: ReadonlyMap<string, DecodedTensor>,
  prefix: string,
  spec: SESpec,
  consumed: Set<string>,
): SEWeights {
  const { channels: c, reducedChannels: rd } = spec;
  const fc1 = take(tensors, consumed, tensorName(prefix, TENSOR_NAMES.fc1Weight), [
    [rd, c],
    [rd, c, 1, 1],
  ]);
  const fc2 = take(tensors, consumed, tensorName(prefix, TENSOR_NAMES.fc2Weight), [
    [c, rd],
    [c, rd, 1, 1],
  ]);
  const biasNames = [
    tensorName(prefix, TENSOR_NAMES.fc1Bias),
    tensorName(prefix, TENSOR_NAMES.fc2Bias),
  ];
  if (!spec.bias) {
    for (const name of biasNames) {
      if (tensors.has(name))
        throw new SEWeightFormatError(`tensor ${name}`, 'present, but the spec says bias: false');
    }
    return { fc1Weight: fc1.values, fc2Weight: fc2.values };
  }
  const fc1Bias = take(tensors, consumed, biasNames[0] as string, [[rd]]);
  const fc2Bias = take(tensors, consumed, biasNames[1] as string, [[c]]);
  return {
    fc1Weight: fc1.values,
    fc1Bias: fc1Bias.values,
    fc2Weight: fc2.values,
    fc2Bias: fc2Bias.values,
  };
}

/** Fails on tensors that no part of the format claimed. */
export function rejectUnclaimed(
  tensors: ReadonlyMap<string, DecodedTensor>,
  consumed: Set<string>,
): void {
  for (const name of tensors.keys()) {
    if (!consumed.has(name))
      throw new SEWeightFormatError(`tensor ${name}`, 'not part of any SE block in this file');
  }
}
