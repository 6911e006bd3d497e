// @seblock/se-core/networks: runtime-free definitions of whole SE networks (a small graph IR
// with PyTorch module names), their state_dict schema, checkpoint IO and seeded test weights.
// Adapters (se-tfjs, se-onnxruntime) build runnable models from these definitions.

export {
  type Checkpoint,
  type CheckpointDType,
  type CheckpointTensor,
  checkpointFloats,
  checkpointIntegers,
  float32Tensor,
  int64Tensor,
  readCheckpoint,
  writeCheckpoint,
} from './checkpoint.js';
export { type NetworkCost, type NodeCost, networkCost } from './cost.js';
export {
  type DownloadOptions,
  type DownloadProgress,
  downloadBytes,
  SEDownloadError,
} from './download.js';
export { type EfficientNetOptions, efficientNetB0 } from './efficientnet.js';
export {
  type ConvArgs,
  GraphBuilder,
  type NodeWithoutId,
  TORCH_BATCH_NORM,
} from './graph-builder.js';
export { type MobileNetV3Options, mobileNetV3Large, mobileNetV3Small } from './mobilenetv3.js';
export {
  type FetchPretrainedOptions,
  fetchPretrained,
  type PretrainedNetwork,
} from './pretrained.js';
export {
  type AnyNetworkOptions,
  ARCHITECTURE_NAMES,
  buildNetwork,
  NETWORK_BUILDERS,
} from './registry.js';
export {
  type ResNetOptions,
  type ResNeXtOptions,
  resNet50,
  seResNet50,
  seResNet101,
  seResNeXt50_32x4d,
} from './resnet.js';
export {
  elementCount,
  type StateDictEntry,
  stateDictSchema,
  type TensorRole,
} from './schema.js';
export { type NetworkSEParams, networkSESpec } from './se-spec.js';
export {
  seededBits,
  seededCheckpoint,
  seededEntry,
  seededFloats,
  seededStateDict,
} from './seeded.js';
export {
  type ExpectedTensor,
  type MatchedStateDict,
  matchStateDict,
  SEStateDictError,
  type ShapeMismatch,
  type StateDictInput,
  type StateDictProblems,
  type StateDictTensor,
} from './state-dict-match.js';
export type * from './types.js';
