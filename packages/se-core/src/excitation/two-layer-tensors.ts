import { describeShape, SEImportError } from '../errors/index.js';
import { fromCanonicalWeight, layoutShape, toCanonicalWeight } from '../import/layouts.js';
import {
  conventionTensorName,
  layoutForRank,
  MISSING_TENSOR,
  readMatrix,
  readVector,
  sameShape,
  storedShapes,
} from '../import/read-tensors.js';
import { checkedTensor, type TensorLike } from '../import/tensor-map.js';
import { MAKE_DIVISIBLE_FLOOR } from '../spec/primitives.js';
import type { FloatArray } from '../weights/dtypes.js';
import type { KindReadInput, KindReadResult, NamingConvention } from './kind.js';
import type { MlpWeights, TwoLayerFields } from './two-layer.js';

// Foreign names and layouts of a two-layer MLP (kinds mlp and cbam): infer
// channels and reducedChannels from fc1, bias from presence, check that fc2 and
// the biases agree, convert to canonical; and the way back for export.

/** Reads a two-layer MLP block; a string for look-alikes (wrong rank, a widening MLP). */
export function readTwoLayer(input: KindReadInput): KindReadResult | string {
  const { tensors, convention, prefix, names } = input;
  const fc1Name = names.fc1Weight as string;
  const fc1 = readMatrix(tensors, convention, fc1Name);
  if (!fc1) {
    const rank = tensors.get(fc1Name)?.shape;
    return `rank ${Array.isArray(rank) ? rank.length : '?'}: ${convention.name} stores fc1 as ${storedShapes(convention, 'rd', 'C')}`;
  }
  const { out: reducedChannels, in: channels } = fc1;
  if (reducedChannels > Math.max(channels, MAKE_DIVISIBLE_FLOOR)) {
    return `widens ${channels} → ${reducedChannels} channels: an MLP, not a squeeze-and-excitation`;
  }
  const fc2Name = names.fc2Weight;
  const fc1Shape = describeShape(fc1.tensor.shape);
  if (fc2Name === undefined) {
    const expected = conventionTensorName(
      convention,
      prefix,
      convention.tensors.fc2Weight as string,
    );
    throw new SEImportError(
      `tensor ${expected}`,
      `shape ${describeShape(layoutShape(fc1.layout, channels, reducedChannels))} (the expand layer of ${fc1Name} ${fc1Shape})`,
      undefined,
      MISSING_TENSOR,
    );
  }
  // Checked before conversion, so a wrong fc2 is reported against fc1, whatever is wrong with it.
  const layout2 =
    layoutForRank(convention, tensors.get(fc2Name)?.shape?.length ?? -1) ?? fc1.layout;
  const fc2 = checkedTensor(tensors, fc2Name);
  const fc2Expected = layoutShape(layout2, channels, reducedChannels);
  if (!sameShape(fc2.shape, fc2Expected)) {
    throw new SEImportError(
      `tensor ${fc2Name}.shape`,
      `${describeShape(fc2Expected)} to match ${fc1Name} ${fc1Shape} (C = ${channels}, reducedChannels = ${reducedChannels})`,
      fc2.shape,
      describeShape(fc2.shape),
    );
  }
  const weights: { -readonly [K in keyof MlpWeights]: MlpWeights[K] } = {
    fc1Weight: fc1.values,
    fc2Weight: toCanonicalWeight(fc2.values, layout2, channels, reducedChannels),
  };
  const used = [fc1Name, fc2Name];
  const biasNames = [names.fc1Bias, names.fc2Bias];
  if (biasNames.some((name) => name !== undefined)) {
    const [fc1Bias, fc2Bias] = biasNames;
    if (fc1Bias === undefined || fc2Bias === undefined) {
      const [missingKey, present] =
        fc1Bias === undefined ? ['fc1Bias', fc2Bias] : ['fc2Bias', fc1Bias];
      const missing = conventionTensorName(
        convention,
        prefix,
        convention.tensors[missingKey] as string,
      );
      throw new SEImportError(
        `tensor ${missing}`,
        `both biases or neither (${present} is present)`,
        undefined,
        MISSING_TENSOR,
      );
    }
    weights.fc1Bias = readVector(tensors, fc1Bias, reducedChannels);
    weights.fc2Bias = readVector(tensors, fc2Bias, channels);
    used.push(fc1Bias, fc2Bias);
  }
  return {
    channels,
    excitation: { reducedChannels, bias: weights.fc1Bias !== undefined },
    weights,
    layout: fc1.layout,
    tensors: used,
  };
}

/** The weights of a two-layer MLP under the convention's names, in its first layout. */
export function writeTwoLayer(
  spec: TwoLayerFields,
  weights: MlpWeights,
  c: number,
  convention: NamingConvention,
): Record<string, TensorLike> {
  const layout = convention.layouts[0];
  if (layout === undefined) {
    throw new SEImportError('convention.layouts', 'at least one layout', convention.layouts);
  }
  const rd = spec.reducedChannels;
  const out: Record<string, TensorLike> = {
    fc1Weight: {
      shape: layoutShape(layout, rd, c),
      values: fromCanonicalWeight(weights.fc1Weight, layout, rd, c),
    },
    fc2Weight: {
      shape: layoutShape(layout, c, rd),
      values: fromCanonicalWeight(weights.fc2Weight, layout, c, rd),
    },
  };
  if (spec.bias) {
    out.fc1Bias = { shape: [rd], values: (weights.fc1Bias as FloatArray).slice() };
    out.fc2Bias = { shape: [c], values: (weights.fc2Bias as FloatArray).slice() };
  }
  return out;
}
