export {
  type BuildSEModelOptions,
  buildSEModel,
  buildSEModelProto,
  type DimSpec,
} from './build/build-model.js';
export {
  DEFAULT_OPSET,
  type ErfForm,
  type FullyConnectedOp,
  MAX_OPSET,
  MIN_OPSET,
  type NaNGuard,
  type SEGraphOptions,
  type SqueezeOp,
} from './build/options.js';
export { SEModelError } from './errors.js';
export {
  type ExtractedForm,
  type ExtractedSE,
  extractSE,
  extractSEBundle,
} from './extract/extract-se.js';
export { SE_FUNCTION_DOMAIN, SE_FUNCTION_NAME } from './function/se-function.js';
export {
  type InsertionPoint,
  type InsertSEOptions,
  insertSE,
  type SEInsertion,
} from './insert/insert-se.js';
export {
  findResidualBranches,
  insertSEResidual,
  type ResidualBranch,
  type ResidualChoice,
} from './insert/residual.js';
export { RESIDUAL_SEARCH_STEPS } from './insert/split-search.js';
export { MAX_FUNCTION_EXPANSION, MAX_SUBGRAPH_DEPTH } from './proto/limits.js';
export { type ProviderForms, SESSION_FORMS, type SessionForm } from './session/forms.js';
export { createModelSession } from './session/model-session.js';
export type {
  OrtModuleLike,
  OrtSessionLike,
  OrtTensorLike,
  RuntimeName,
} from './session/runtime.js';
export { createSESession } from './session/se-session.js';
export type {
  ExecutionProvider,
  GraphOptimizationLevel,
  ModelSession,
  SESession,
  SessionOptions,
  ValueMetadata,
} from './session/types.js';
