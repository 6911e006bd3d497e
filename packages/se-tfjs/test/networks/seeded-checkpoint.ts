import {
  type CheckpointTensor,
  float32Tensor,
  int64Tensor,
  type NetworkDefinition,
  seededStateDict,
  stateDictSchema,
  writeCheckpoint,
} from '@seblock/se-core/networks';

/** A full-size network's seeded weights as the safetensors file PyTorch would write. */
export function seededCheckpoint(network: NetworkDefinition, seed: number): Uint8Array {
  const values = seededStateDict(network, seed);
  const tensors = new Map<string, CheckpointTensor>();
  for (const e of stateDictSchema(network)) {
    const v = values.get(e.name) as Float32Array | BigInt64Array;
    tensors.set(
      e.name,
      v instanceof BigInt64Array ? int64Tensor(e.shape, v) : float32Tensor(e.shape, v),
    );
  }
  return writeCheckpoint(tensors);
}
