// @seblock/se-core: the one definition of a Squeeze-and-Excitation block.
// Runtime-free (no TF.js, no onnxruntime, no Node built-ins): works in Node and browsers.

export { type AccuracyReport, accuracyOf, elementUlps } from './accuracy/compare.js';
export { seReferenceFloat32 } from './accuracy/float32-reference.js';
export {
  type CaseTolerance,
  caseTolerance,
  PRECISION_TOLERANCES,
  type PrecisionClass,
  type PrecisionTolerance,
} from './accuracy/tolerance.js';
export { float32Distance, float32Ordinal, float32Ulp } from './accuracy/ulp.js';
export * from './errors/index.js';
export { defineExcitationKind, type KindModuleWithNames } from './excitation/define.js';
export { dense, float64Rounding } from './excitation/dense.js';
export type {
  ExcitationBehaviourField,
  ExcitationCost,
  ExcitationKindModule,
  ExcitationSpecBase,
  ImportPreset,
  KindParseContext,
  KindReadInput,
  KindReadResult,
  KindWeights,
  NamingConvention,
  Rounding,
  WeightSlot,
} from './excitation/kind.js';
export {
  byExcitationKind,
  type KindBlock,
  type KindHandlers,
  kindBlock,
} from './excitation/kind-block.js';
// The kinds, their lookups and each kind module's public API.
export * from './excitation/registry.js';
export type { MlpWeights, TwoLayerFields } from './excitation/two-layer.js';
export {
  decodeGoldenCase,
  encodeGoldenCase,
  type GoldenCase,
  type GoldenCaseInfo,
} from './golden/golden-case.js';
export { EXPORT_METADATA_KEY, type SEBehaviour } from './import/behaviour.js';
export {
  NAMING_CONVENTION_NAMES,
  NAMING_CONVENTIONS,
  type NamingConventionName,
  resolveNamingConvention,
} from './import/conventions.js';
export {
  type ExportedTensor,
  type ExportFileOptions,
  exportSEBlocks,
  exportSEBlocksToSafetensors,
  type SEBlocksInput,
} from './import/export-blocks.js';
export {
  type ImportedBlockInfo,
  importSEBlocks,
  type SEImportOptions,
  type SEImportReport,
  type SEImportResult,
  type SkippedCandidate,
} from './import/import-blocks.js';
export {
  fromCanonicalWeight,
  toCanonicalWeight,
  WEIGHT_LAYOUTS,
  type WeightLayout,
} from './import/layouts.js';
export {
  IMPORT_PRESET_NAMES,
  IMPORT_PRESETS,
  type ImportPresetName,
  resolveImportPreset,
} from './import/presets.js';
export { type TensorLike, type TensorMap, tensorMapFromEntries } from './import/tensor-map.js';
export { erf, erfc } from './reference/erf.js';
export { ACTIVATION_FUNCTIONS, activationFunction, gateFunction } from './reference/functions.js';
export {
  type ActivationDims,
  activationDims,
  LAYOUTS,
  type Layout,
  transposeLayout,
} from './reference/layout.js';
export {
  type SEReferenceResult,
  seReference,
  seReferenceDetailed,
} from './reference/se-reference.js';
export {
  keras2HardSigmoid,
  onnxDefaultHardSigmoid,
  pytorchHardSigmoid,
  sigmoidGate,
} from './spec/gates.js';
export {
  makeDivisible,
  pythonRound,
  REDUCTION_PRESETS,
  type ReductionPresetName,
  type ReductionRule,
  resolveReducedChannels,
} from './spec/reduction.js';
export { specJSONSchema } from './spec/schema.js';
export * from './spec/types.js';
export {
  canonicalSpecJSON,
  defineSESpec,
  MAX_CHANNELS,
  parseSESpec,
  specsEqual,
} from './spec/validate.js';
export {
  decodeSEBundle,
  decodeSEWeights,
  type EncodeOptions,
  encodeSEBundle,
  encodeSEWeights,
  type SEBundle,
} from './weights/codec.js';
export { DTYPE_BYTES, FLOAT_DTYPES, type FloatArray, type FloatDType } from './weights/dtypes.js';
export {
  type DecodedSafetensors,
  type DecodedTensor,
  decodeSafetensors,
  encodeSafetensors,
  MAX_HEADER_BYTES,
  type TensorToWrite,
} from './weights/safetensors.js';
export {
  SAFETENSORS_DTYPE_BITS,
  SAFETENSORS_DTYPES,
  type SafetensorsDType,
  type SafetensorsValues,
  type SafetensorsValuesByDType,
} from './weights/safetensors-dtypes.js';
export {
  readSafetensorsIndex,
  type SafetensorsEntry,
  type SafetensorsEntryOf,
  type SafetensorsIndex,
} from './weights/safetensors-index.js';
export {
  FORMAT_NAME,
  METADATA,
  type SEBlock,
  type SEBlockInput,
  type SEWeights,
} from './weights/types.js';
export { expectedWeightLengths, validateSEWeights, weightSlots } from './weights/validate.js';
