// @seblock/se-tfjs without side effects: everything except registering the SqueezeExcite
// class with TF.js serialisation and the fused kernels with TF.js' kernel registry
// (index.ts does both; or call registerSqueezeExcite() and registerSEKernels()).

export type { SEOptions, SEOptionsSpec } from './architectures/common.js';
export {
  type InceptionModule,
  type SEInceptionOptions,
  seInception,
} from './architectures/inception.js';
export { type InsertSEOptions, insertSE } from './architectures/insert-se.js';
export {
  SE_PLACEMENTS,
  type SEPlacement,
  type SEResNetBlockOptions,
  seResNetBasicBlock,
  seResNetBottleneck,
} from './architectures/resnet.js';
export { SE_KERNEL_NAME, type SEKernelAttrs, type SEKernelResidual } from './kernels/attrs.js';
export { registerSEKernels } from './kernels/register.js';
export type { Initializer, InitializerInput } from './layer/initializers.js';
export { registerSqueezeExcite, squeezeExcite } from './layer/register.js';
export {
  MAX_SE_LAYER_PARAMS,
  PAPER_DEFAULTS,
  type SqueezeExciteExcitationInput,
  type SqueezeExciteSpecInput,
  type SqueezeExciteSpecV1Input,
  type SqueezeExciteSpecV2Input,
} from './layer/spec.js';
export { SqueezeExcite, type SqueezeExciteArgs } from './layer/squeeze-excite.js';
export {
  SqueezeExciteResidual,
  type SqueezeExciteResidualArgs,
} from './layer/squeeze-excite-residual.js';
export {
  disposeSETensors,
  type SEBlockInput,
  type SETensorBlock,
  type SEWeightTensors,
  toSETensors,
} from './op/block.js';
export { hasFusedSEKernel, type SEResidualActivation } from './op/fused.js';
export {
  type SEBlockOptions,
  type SEBlockResult,
  seBlock,
  seBlockDetailed,
} from './op/se-block.js';
export { type SEResidualOptions, seResidualBlock } from './op/se-residual.js';
export {
  exportSEWeights,
  type LoadSEWeightsOptions,
  loadSEWeights,
  readSEBlock,
} from './weights/load-export.js';
