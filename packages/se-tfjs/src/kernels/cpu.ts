import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { fromKernelAttrs, kernelSpec, SE_KERNEL_NAME } from './attrs.js';
import { canonicalWeights, kernelInputs } from './inputs.js';
import { fusedSE } from './js/fused.js';

// The slice of tfjs-backend-cpu's MathBackendCPU this kernel uses, declared here so the
// package needs no type (or runtime) dependency on the backend.
interface CpuBackendLike {
  readonly data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/** The cpu backend keeps float32 tensors as Float32Arrays in JS memory: read them in place. */
function valuesOf(backend: CpuBackendLike, t: TensorInfo): Float32Array {
  const values = backend.data.get(t.dataId).values;
  if (!(values instanceof Float32Array)) {
    throw new Error(`${SE_KERNEL_NAME} (cpu): expected float32 data, got ${t.dtype}`);
  }
  return values;
}

type AllocUnsafeSlow = (size: number) => Uint8Array;
const allocUnsafeSlow = (globalThis as { Buffer?: { allocUnsafeSlow?: AllocUnsafeSlow } }).Buffer
  ?.allocUnsafeSlow;

/**
 * A new array for y, which the scale pass overwrites in full: so in Node it need not be
 * zeroed (Buffer.allocUnsafeSlow; a copy of 25.7 MB into one took 3.5 ms against 5.4 ms
 * into a zeroed ArrayBuffer). Elsewhere through an explicit ArrayBuffer: V8 writes into
 * `new Float32Array(length)` about 2.5× slower on first touch (scale pass of 8×256×56×56:
 * 20.8 ms against 7.8 ms).
 */
function outputArray(length: number): Float32Array {
  if (allocUnsafeSlow) {
    const bytes = allocUnsafeSlow(4 * length);
    return new Float32Array(bytes.buffer, bytes.byteOffset, length);
  }
  return new Float32Array(new ArrayBuffer(4 * length));
}

/**
 * Pool pass, float64 excitation, scale pass: one read of x per pool, one read (and one of the
 * shortcut, for a residual) and one write for y.
 */
const seCpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = backend as CpuBackendLike;
  const a = fromKernelAttrs(attrs);
  const named = kernelInputs(inputs, a);
  const spec = kernelSpec(a);
  const x = valuesOf(cpu, named.x);
  const y = outputArray(x.length);
  const weights = canonicalWeights(spec, named, a.kernelLayout, (t) => valuesOf(cpu, t));
  const residual = named.shortcut
    ? { shortcut: valuesOf(cpu, named.shortcut), relu: a.residual === 'relu' }
    : undefined;
  fusedSE(x, y, named.x.shape, spec, weights, a.layout, residual);
  return cpu.makeTensorInfo([...named.x.shape], 'float32', y);
};

export const seCpuKernelConfig: KernelConfig = {
  kernelName: SE_KERNEL_NAME,
  backendName: 'cpu',
  kernelFunc: seCpu,
};
