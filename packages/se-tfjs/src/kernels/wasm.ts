import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { fromKernelAttrs, SE_KERNEL_NAME } from './attrs.js';
import { fusedSE, planeDims } from './fused-math.js';
import { kernelInputs, kernelWeights } from './inputs.js';
import { seSimdOn } from './simd/module.js';
import { runSimd, simdScratchBytes } from './simd/run.js';

// The slice of tfjs-backend-wasm's BackendWasm this kernel uses (structural: no dependency
// on the backend package). Tensors live in the Emscripten module's heap; makeOutput mallocs
// there, and `wasm.asm.memory` is that heap's WebAssembly.Memory.
interface WasmBackendLike {
  readonly wasm: {
    readonly asm?: { readonly memory?: WebAssembly.Memory };
    _malloc(bytes: number): number;
    _free(pointer: number): void;
  };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * The fused block on the wasm backend's own memory, with no copy to or from JS: our SIMD
 * module when the engine has wasm SIMD, else the JS loops on Float32Array views of the heap.
 */
const seWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as WasmBackendLike;
  const named = kernelInputs(inputs);
  const a = fromKernelAttrs(attrs);
  // Allocate first: malloc may grow the memory, which detaches every earlier view.
  const out = wasm.makeOutput([...named.x.shape], 'float32');
  const view = (t: TensorInfo) => wasm.typedArrayFromHeap(t) as Float32Array;
  const memory = wasm.wasm.asm?.memory;
  const simd = memory ? seSimdOn(memory) : null;
  if (simd) {
    // The module reads fc1 and fc2 on the heap; the biases are copied to JS because the
    // scratch malloc may grow the heap (and detach views).
    const empty = new Float32Array(0);
    const weights = kernelWeights(named, a.transposed, (t) =>
      t.shape.length === 1 ? view(t).slice() : empty,
    );
    const dims = planeDims(named.x.shape, a.layout);
    const scratch = wasm.wasm._malloc(simdScratchBytes(dims, weights.reduced));
    try {
      // Addresses after the malloc: it may grow the heap, which detaches every earlier view.
      const at = (t: TensorInfo) => view(t).byteOffset;
      const addresses = {
        x: at(named.x),
        y: at(out),
        fc1: at(named.fc1),
        fc2: at(named.fc2),
        scratch,
      };
      runSimd(simd, view(named.x).buffer as ArrayBuffer, addresses, weights, a, dims);
    } finally {
      wasm.wasm._free(scratch);
    }
  } else {
    fusedSE(view(named.x), view(out), named.x.shape, kernelWeights(named, a.transposed, view), a);
  }
  return out;
};

export const seWasmKernelConfig: KernelConfig = {
  kernelName: SE_KERNEL_NAME,
  backendName: 'wasm',
  kernelFunc: seWasm,
};
