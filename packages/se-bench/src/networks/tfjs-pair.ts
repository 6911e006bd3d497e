import '@seblock/se-tfjs';
import { loadPyTorchStateDict } from '@seblock/se-tfjs/networks';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { pairCheckpoint, pairNetwork } from './models.js';
import { PAIR_MEMBERS, type PairMember } from './types.js';

// Both networks as se-tfjs models from the seeded checkpoints, the same in Node and Chromium
// (the caller has set the backend: the weights go to it).

/** ResNet-50 and SE-ResNet-50 as TF.js models taking NCHW input, on the current backend. */
export function loadTfjsPair(seed: number): Record<PairMember, LayersModel> {
  const models = {} as Record<PairMember, LayersModel>;
  for (const member of PAIR_MEMBERS)
    models[member] = loadPyTorchStateDict(pairNetwork(member), pairCheckpoint(member, seed), {
      inputLayout: 'NCHW',
    });
  return models;
}
