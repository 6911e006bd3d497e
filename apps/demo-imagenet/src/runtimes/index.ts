// demo-imagenet/runtimes: a checkpoint on TF.js or onnxruntime, behind one small interface.
// Kept out of the main entry, which needs no ML runtime.
export type { LoadedNetwork } from './loaded-network.js';
export { loadOnOnnxRuntime } from './onnxruntime.js';
export { loadOnTfjs } from './tfjs.js';
