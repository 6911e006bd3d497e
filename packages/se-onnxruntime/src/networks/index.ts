// @seblock/se-onnxruntime/networks: whole SE networks (se-core's network IR) as ONNX models
// built from a PyTorch state_dict, and sessions that run them.
export type { SEForm } from './build-bridge.js';
export {
  buildNetworkModel,
  buildNetworkModelProto,
  NETWORK_METADATA_KEY,
} from './build-network.js';
export {
  type LoadNetworkSessionFromUrlOptions,
  loadNetworkSessionFromUrl,
} from './from-url.js';
export {
  type BuildNetworkModelOptions,
  NETWORK_SCALE_FORMS,
  type NetworkScaleForm,
} from './options.js';
export {
  loadNetworkSession,
  type NetworkSession,
  type NetworkSessionOptions,
} from './session.js';
export type {
  ShapeMismatch,
  StateDictInput,
  StateDictProblems,
  StateDictTensor,
} from './state-dict.js';
