import { describeShape, SEWeightFormatError } from '../errors/index.js';
import { kindOfSpec } from '../excitation/registry.js';
import type { SESpec } from '../spec/types.js';
import { canonicalSpecJSON, parseSESpec } from '../spec/validate.js';
import type { FloatArray, FloatDType } from './dtypes.js';
import type { DecodedTensor, TensorToWrite } from './safetensors.js';
import type { SEBlockInput, SEWeights } from './types.js';
import { validateSEWeights } from './validate.js';

// The tensors of one block in SE Blocks files: the kind's weight slots, named
// under the block's prefix (SPEC.md, "Weight files").

/** `prefix.name`, or `name` when the prefix is empty. */
export function tensorName(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

/** The tensors of one block, named under `prefix`, for encodeSafetensors (validated first). */
export function blockTensors(
  block: SEBlockInput,
  prefix: string,
  dtype: FloatDType,
): Record<string, TensorToWrite> {
  const spec = parseSESpec(block.spec);
  const { weights } = block;
  validateSEWeights(spec, weights, prefix ? `blocks["${prefix}"].weights` : 'weights');
  const out: Record<string, TensorToWrite> = {};
  for (const slot of kindOfSpec(spec).slots(spec.excitation, spec.channels)) {
    if (!slot.present) continue;
    out[tensorName(prefix, slot.tensor)] = {
      shape: slot.shape,
      values: weights[slot.key] as FloatArray,
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

/** Reads the weights of `spec` under `prefix`, accepting every read shape of its slots. */
export function readBlockWeights(
  tensors: ReadonlyMap<string, DecodedTensor>,
  prefix: string,
  spec: SESpec,
  consumed: Set<string>,
): SEWeights {
  const weights: Record<string, FloatArray> = {};
  for (const slot of kindOfSpec(spec).slots(spec.excitation, spec.channels)) {
    const name = tensorName(prefix, slot.tensor);
    if (slot.present) {
      weights[slot.key] = take(tensors, consumed, name, slot.readShapes).values;
    } else if (tensors.has(name)) {
      throw new SEWeightFormatError(`tensor ${name}`, `present, but ${slot.absentBecause}`);
    }
  }
  return weights;
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
