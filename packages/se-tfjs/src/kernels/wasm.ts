import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { fromKernelAttrs, SE_KERNEL_NAME } from './attrs.js';
import { fusedSE } from './fused-math.js';
import { kernelInputs, kernelWeights } from './inputs.js';

// The slice of tfjs-backend-wasm's BackendWasm this kernel uses (structural: no dependency
// on the backend package). Tensors live in the wasm module's heap; makeOutput mallocs there.
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * Runs the fused block directly on the wasm backend's heap: x is read and y written through
 * Float32Array views of the module's memory, with no copy to or from JS.
 */
const seWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as WasmBackendLike;
  const named = kernelInputs(inputs);
  const a = fromKernelAttrs(attrs);
  // Allocate first: malloc may grow the memory, which detaches every earlier view.
  const out = wasm.makeOutput([...named.x.shape], 'float32');
  const view = (t: TensorInfo) => wasm.typedArrayFromHeap(t) as Float32Array;
  fusedSE(view(named.x), view(out), named.x.shape, kernelWeights(named, a.transposed, view), a);
  return out;
};

export const seWasmKernelConfig: KernelConfig = {
  kernelName: SE_KERNEL_NAME,
  backendName: 'wasm',
  kernelFunc: seWasm,
};
