import {
  float32Tensor,
  int64Tensor,
  type NetworkDefinition,
  resNet50,
  seededFloats,
  seededStateDict,
  seResNet50,
  stateDictSchema,
  writeCheckpoint,
} from '@seblock/se-core/networks';
import { PAIR, type PairMember } from './types.js';

// The two networks, their seeded weights (by PyTorch name: ResNet-50 and SE-ResNet-50 share
// every tensor but the SE blocks') and the input batch, made once per process and shared by
// the runners in it.

/** Image size of the suite (the paper's single-crop 224×224). */
export const IMAGE = [3, 224, 224] as const;

const definitions: Record<PairMember, NetworkDefinition> = { plain: resNet50(), se: seResNet50() };

/** The network definition of a pair member. */
export function pairNetwork(member: PairMember): NetworkDefinition {
  return definitions[member];
}

const weights = new Map<string, Map<string, Float32Array | BigInt64Array>>();

/** The seeded state_dict of a pair member (cached: 100 MB each, made in about half a second). */
export function pairWeights(
  member: PairMember,
  seed: number,
): Map<string, Float32Array | BigInt64Array> {
  const key = `${PAIR[member]}-${seed}`;
  let found = weights.get(key);
  if (!found) {
    found = seededStateDict(definitions[member], seed);
    weights.set(key, found);
  }
  return found;
}

/** The seeded state_dict as safetensors bytes, as a checkpoint file would bring it. */
export function pairCheckpoint(member: PairMember, seed: number): Uint8Array {
  const values = pairWeights(member, seed);
  return writeCheckpoint(
    new Map(
      stateDictSchema(definitions[member]).map((e) => {
        const v = values.get(e.name) as Float32Array | BigInt64Array;
        return [
          e.name,
          e.dtype === 'I64'
            ? int64Tensor(e.shape, v as BigInt64Array)
            : float32Tensor(e.shape, v as Float32Array),
        ];
      }),
    ),
  );
}

/** N images, NCHW: the seeded stream `input`, so image 0 is se-core's fixture input. */
export function pairInput(seed: number, batch: number): Float32Array {
  return seededFloats(seed, 'input', batch * IMAGE[0] * IMAGE[1] * IMAGE[2]);
}

/** `[N, 3, 224, 224]`. */
export const inputShape = (batch: number): [number, number, number, number] => [batch, ...IMAGE];
