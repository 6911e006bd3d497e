import { describeShape, SEImportError } from '../errors/index.js';
import { MAKE_DIVISIBLE_FLOOR } from '../spec/types.js';
import type { SEWeights } from '../weights/types.js';
import { conventionTensorName, type NamingConvention, prefixOf } from './conventions.js';
import {
  layoutDims,
  layoutRank,
  layoutShape,
  symbolicShape,
  toCanonicalWeight,
  type WeightLayout,
} from './layouts.js';
import { checkedTensor, type TensorMap } from './tensor-map.js';

/** The tensors of one would-be SE block, by their names in the input. */
export interface BlockCandidate {
  readonly prefix: string;
  readonly convention: NamingConvention;
  readonly fc1Weight: string;
  readonly fc1Bias: string | undefined;
  readonly fc2Weight: string | undefined;
  readonly fc2Bias: string | undefined;
}

/** A block read from its tensors, canonical layout. */
export interface ReadBlock {
  readonly channels: number;
  readonly reducedChannels: number;
  readonly bias: boolean;
  readonly layout: WeightLayout;
  readonly weights: SEWeights;
  readonly tensors: readonly string[];
}

/** How a message shows the `received` of a tensor that is not in the input. */
const MISSING_TENSOR = 'nothing: the tensor is missing';

/** Maps the convention's name for a tensor to the input's name (which may carry TF's ':0'). */
function nameLookup(tensors: TensorMap, convention: NamingConvention): Map<string, string> {
  const lookup = new Map<string, string>();
  for (const name of tensors.keys()) {
    const plain = convention.tfVariableSuffix ? name.replace(/:0$/, '') : name;
    const previous = lookup.get(plain);
    if (previous !== undefined && previous !== name) {
      throw new SEImportError(
        `tensor ${name}`,
        `one tensor for the variable "${plain}"`,
        [previous, name],
        `two, which is ambiguous: "${previous}" and "${name}"`,
      );
    }
    lookup.set(plain, name);
  }
  return lookup;
}

/** Every block whose fc1 weight is named as `convention` says. */
export function findCandidates(tensors: TensorMap, convention: NamingConvention): BlockCandidate[] {
  const lookup = nameLookup(tensors, convention);
  const out: BlockCandidate[] = [];
  for (const [plain, original] of lookup) {
    const prefix = prefixOf(convention, plain, convention.fc1Weight);
    if (prefix === undefined) continue;
    const find = (name: string) => lookup.get(conventionTensorName(convention, prefix, name));
    out.push({
      prefix,
      convention,
      fc1Weight: original,
      fc1Bias: find(convention.fc1Bias),
      fc2Weight: find(convention.fc2Weight),
      fc2Bias: find(convention.fc2Bias),
    });
  }
  return out;
}

function layoutForRank(convention: NamingConvention, rank: number): WeightLayout | undefined {
  return convention.layouts.find((layout) => layoutRank(layout) === rank);
}

function storedShapes(convention: NamingConvention): string {
  return convention.layouts
    .map((layout) => `${symbolicShape(layout, 'rd', 'C')} (${layout})`)
    .join(' or ');
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Reads one candidate: infers channels and reducedChannels from fc1, bias from
 * presence, checks that fc2 and the biases agree, converts to canonical.
 * Returns a reason string when the tensors are not an SE block at all (wrong
 * rank for the convention, or a widening MLP); throws {@link SEImportError}
 * when they are one but inconsistent.
 */
export function readCandidate(tensors: TensorMap, candidate: BlockCandidate): ReadBlock | string {
  const { convention, prefix } = candidate;
  const fc1Name = candidate.fc1Weight;
  const rawShape = tensors.get(fc1Name)?.shape;
  const layout1 = Array.isArray(rawShape) ? layoutForRank(convention, rawShape.length) : undefined;
  if (!layout1) {
    return `rank ${Array.isArray(rawShape) ? rawShape.length : '?'}: ${convention.name} stores fc1 as ${storedShapes(convention)}`;
  }
  const fc1 = checkedTensor(tensors, fc1Name);
  const { out: reducedChannels, in: channels } = layoutDims(layout1, fc1.shape, fc1Name);
  if (channels < 1 || reducedChannels < 1) {
    throw new SEImportError(
      `tensor ${fc1Name}.shape`,
      'non-zero channels',
      fc1.shape,
      describeShape(fc1.shape),
    );
  }
  if (reducedChannels > Math.max(channels, MAKE_DIVISIBLE_FLOOR)) {
    return `widens ${channels} → ${reducedChannels} channels: an MLP, not a squeeze-and-excitation`;
  }
  const expectedFc2 = conventionTensorName(convention, prefix, convention.fc2Weight);
  if (candidate.fc2Weight === undefined) {
    throw new SEImportError(
      `tensor ${expectedFc2}`,
      `shape ${describeShape(layoutShape(layout1, channels, reducedChannels))} (the expand layer of ${fc1Name} ${describeShape(fc1.shape)})`,
      undefined,
      MISSING_TENSOR,
    );
  }
  const fc2Name = candidate.fc2Weight;
  const fc2Raw = tensors.get(fc2Name)?.shape ?? [];
  const layout2 = layoutForRank(convention, fc2Raw.length) ?? layout1;
  const fc2 = checkedTensor(tensors, fc2Name);
  const fc2Expected = layoutShape(layout2, channels, reducedChannels);
  if (!sameShape(fc2.shape, fc2Expected)) {
    throw new SEImportError(
      `tensor ${fc2Name}.shape`,
      `${describeShape(fc2Expected)} to match ${fc1Name} ${describeShape(fc1.shape)} (C = ${channels}, reducedChannels = ${reducedChannels})`,
      fc2.shape,
      describeShape(fc2.shape),
    );
  }
  const weights: { -readonly [K in keyof SEWeights]: SEWeights[K] } = {
    fc1Weight: toCanonicalWeight(fc1.values, layout1, reducedChannels, channels),
    fc2Weight: toCanonicalWeight(fc2.values, layout2, channels, reducedChannels),
  };
  const used = [fc1Name, fc2Name];
  const bias = readBiases(tensors, candidate, reducedChannels, channels);
  if (bias) {
    weights.fc1Bias = bias.fc1Bias;
    weights.fc2Bias = bias.fc2Bias;
    used.push(candidate.fc1Bias as string, candidate.fc2Bias as string);
  }
  return {
    channels,
    reducedChannels,
    bias: bias !== undefined,
    layout: layout1,
    weights,
    tensors: used,
  };
}

function readBiases(
  tensors: TensorMap,
  candidate: BlockCandidate,
  reducedChannels: number,
  channels: number,
) {
  const { convention, prefix } = candidate;
  if (candidate.fc1Bias === undefined && candidate.fc2Bias === undefined) return undefined;
  if (candidate.fc1Bias === undefined || candidate.fc2Bias === undefined) {
    const [missing, present] =
      candidate.fc1Bias === undefined
        ? [conventionTensorName(convention, prefix, convention.fc1Bias), candidate.fc2Bias]
        : [conventionTensorName(convention, prefix, convention.fc2Bias), candidate.fc1Bias];
    throw new SEImportError(
      `tensor ${missing}`,
      `both biases or neither (${present} is present)`,
      undefined,
      MISSING_TENSOR,
    );
  }
  const read = (name: string, length: number) => {
    const tensor = checkedTensor(tensors, name);
    if (!sameShape(tensor.shape, [length])) {
      throw new SEImportError(
        `tensor ${name}.shape`,
        `[${length}] for this block`,
        tensor.shape,
        describeShape(tensor.shape),
      );
    }
    return tensor.values.slice();
  };
  return {
    fc1Bias: read(candidate.fc1Bias, reducedChannels),
    fc2Bias: read(candidate.fc2Bias, channels),
  };
}
