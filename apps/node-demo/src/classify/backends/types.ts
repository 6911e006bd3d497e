import type { NetworkDefinition } from '@seblock/se-core/networks';
import type { LoadedNetwork } from 'demo-imagenet/runtimes';
import type { BackendId } from './ids.js';

export type { LoadedNetwork };

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
