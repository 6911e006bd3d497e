import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { fromKernelAttrs, SE_KERNEL_NAME, type SEKernelAttrs } from './attrs.js';
import {
  excitation,
  fusedSE,
  type KernelWeights,
  maxPlanes,
  type PlaneDims,
  planeDims,
} from './fused-math.js';
import { kernelInputs, kernelWeights } from './inputs.js';
import { type SESimdExports, seSimdOn } from './simd/module.js';

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
 * Pool and scale with our SIMD module on the heap, the MLP in JS in between. The sums and
 * the excitation travel through a scratch block of N·C·12 bytes.
 */
function runSimd(
  simd: SESimdExports,
  wasm: WasmBackendLike,
  x: TensorInfo,
  out: TensorInfo,
  weights: KernelWeights,
  attrs: SEKernelAttrs,
  dims: PlaneDims,
): void {
  const count = dims.batch * dims.channels;
  const scratch = wasm.wasm._malloc(count * 12);
  try {
    const heap = () => (wasm.typedArrayFromHeap(x) as Float32Array).buffer;
    const xAt = (wasm.typedArrayFromHeap(x) as Float32Array).byteOffset;
    const yAt = (wasm.typedArrayFromHeap(out) as Float32Array).byteOffset;
    const eAt = scratch + count * 8;
    const nchw = attrs.layout === 'NCHW';
    let mean: Float64Array | undefined;
    if (attrs.squeeze !== 'max') {
      if (nchw) simd.sum_nchw(xAt, count, dims.plane, scratch);
      else {
        new Float64Array(heap(), scratch, count).fill(0);
        simd.sum_nhwc(xAt, dims.batch, dims.plane, dims.channels, scratch);
      }
      mean = new Float64Array(heap(), scratch, count).map((sum) => sum / dims.plane);
    }
    const max =
      attrs.squeeze !== 'avg'
        ? maxPlanes(wasm.typedArrayFromHeap(x) as Float32Array, dims, attrs.layout)
        : undefined;
    const s =
      attrs.squeeze === 'avg'
        ? (mean as Float64Array)
        : attrs.squeeze === 'max'
          ? (max as Float64Array)
          : (mean as Float64Array).map((m, i) => 0.5 * m + 0.5 * (max?.[i] as number));
    // e rounded to float32 once; the module multiplies in float32 (one more rounding).
    new Float32Array(heap(), eAt, count).set(excitation(s, dims, weights, attrs));
    if (nchw) simd.scale_nchw(xAt, eAt, yAt, count, dims.plane);
    else simd.scale_nhwc(xAt, eAt, yAt, dims.batch, dims.plane, dims.channels);
  } finally {
    wasm.wasm._free(scratch);
  }
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
  // Weights are read into JS copies: the scratch malloc below may grow the heap.
  const weights = kernelWeights(named, a.transposed, (t) => view(t).slice());
  const memory = wasm.wasm.asm?.memory;
  const simd = memory ? seSimdOn(memory) : null;
  if (simd) runSimd(simd, wasm, named.x, out, weights, a, planeDims(named.x.shape, a.layout));
  else fusedSE(view(named.x), view(out), named.x.shape, weights, a);
  return out;
};

export const seWasmKernelConfig: KernelConfig = {
  kernelName: SE_KERNEL_NAME,
  backendName: 'wasm',
  kernelFunc: seWasm,
};
