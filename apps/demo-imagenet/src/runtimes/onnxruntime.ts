import type { NetworkDefinition } from '@seblock/se-core/networks';
import { loadNetworkSession, type NetworkSessionOptions } from '@seblock/se-onnxruntime/networks';
import type { LoadedNetwork } from './loaded-network.js';

/**
 * A checkpoint on onnxruntime: se-onnxruntime's `loadNetworkSession` builds the ONNX model from
 * it and opens a session (`runtime: 'node'` or `'web'`, the caller's `ort` module and execution
 * providers); releasing the session frees it.
 *
 * @example
 * ```ts
 * const net = await loadOnOnnxRuntime(seResNet50(), weights, { runtime: 'node', ort });
 * ```
 */
export async function loadOnOnnxRuntime(
  network: NetworkDefinition,
  weights: Uint8Array,
  options: NetworkSessionOptions,
): Promise<LoadedNetwork> {
  const session = await loadNetworkSession(network, weights, options);
  return {
    run: (input, shape) => session.runArray(input, shape),
    dispose: () => session.release(),
  };
}
