import type { NetworkDefinition } from '@seblock/se-core/networks';
import type { BackendId } from './ids.js';

/** A network loaded on one backend, ready to classify. */
export interface LoadedNetwork {
  /** One forward pass: the NCHW image in, the logits out (read back to JavaScript). */
  run(input: Float32Array, shape: readonly number[]): Promise<Float32Array>;
  /** Frees the model (weights and session), so the next backend has the memory. */
  dispose(): Promise<void>;
}

/** A backend `se-demo classify` can run: how to load a PyTorch checkpoint on it. */
export interface Backend {
  readonly id: BackendId;
  /** What a person reads: 'TF.js cpu', 'onnxruntime-node'. */
  readonly label: string;
  /** The runtime and version, for the report. */
  describe(): Promise<string>;
  /** Builds the network and loads the checkpoint's weights (safetensors bytes, PyTorch names). */
  load(network: NetworkDefinition, weights: Uint8Array): Promise<LoadedNetwork>;
}
