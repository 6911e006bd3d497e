import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { fromKernelAttrs, kernelSpec, SE_KERNEL_NAME } from './attrs.js';
import { canonicalWeights, kernelInputs } from './inputs.js';
import { fusedSE } from './js/fused.js';
import { planeDims } from './js/pool.js';
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
 * The fused block on the wasm backend's own memory, with no copy of x or y: our SIMD module
 * when the engine has wasm SIMD, else the JS loops on Float32Array views of the heap.
 */
const seWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as WasmBackendLike;
  const a = fromKernelAttrs(attrs);
  const named = kernelInputs(inputs, a);
  const spec = kernelSpec(a);
  const dims = planeDims(named.x.shape, a.layout);
  // Allocate everything first: malloc may grow the memory, which detaches every earlier view.
  const out = wasm.makeOutput([...named.x.shape], 'float32');
  const memory = wasm.wasm.asm?.memory;
  const simd = memory ? seSimdOn(memory) : null;
  const scratch = simd ? wasm.wasm._malloc(simdScratchBytes(dims)) : 0;
  try {
    const view = (t: TensorInfo) => wasm.typedArrayFromHeap(t) as Float32Array;
    const weights = canonicalWeights(spec, named, a.kernelLayout, view);
    const shortcut = named.shortcut ? view(named.shortcut) : undefined;
    if (simd) {
      const at = {
        x: view(named.x).byteOffset,
        y: view(out).byteOffset,
        ...(shortcut ? { shortcut: shortcut.byteOffset } : {}),
        scratch,
      };
      const heap = view(named.x).buffer as ArrayBuffer;
      runSimd(simd, heap, at, spec, weights, a.layout, dims, a.residual);
    } else {
      const residual = shortcut ? { shortcut, relu: a.residual === 'relu' } : undefined;
      fusedSE(view(named.x), view(out), named.x.shape, spec, weights, a.layout, residual);
    }
  } finally {
    if (scratch) wasm.wasm._free(scratch);
  }
  return out;
};

export const seWasmKernelConfig: KernelConfig = {
  kernelName: SE_KERNEL_NAME,
  backendName: 'wasm',
  kernelFunc: seWasm,
};
