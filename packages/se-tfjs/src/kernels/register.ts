import { SEError } from '@seblock/se-core';
import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
} from '@tensorflow/tfjs-core';
import { seCpuKernelConfig } from './cpu.js';
import { seWasmKernelConfig } from './wasm.js';
import { seWebglKernelConfig } from './webgl.js';
import { seWebgpuKernelConfig } from './webgpu.js';

/** Every fused kernel this package ships, one per backend. */
export const SE_KERNEL_CONFIGS: readonly KernelConfig[] = [
  seCpuKernelConfig,
  seWasmKernelConfig,
  seWebglKernelConfig,
  seWebgpuKernelConfig,
];

// Which copy of this package a kernel function comes from: its module's URL, under a key in
// the global symbol registry so that every copy reads it (two copies of se-tfjs in one bundle
// are two files, with kernel contracts that may differ).
const ORIGIN = Symbol.for('@seblock/se-tfjs kernel origin');
const HERE = import.meta.url;
for (const config of SE_KERNEL_CONFIGS) {
  Object.defineProperty(config.kernelFunc, ORIGIN, { value: HERE });
}

function originOf(kernelFunc: KernelFunc): string {
  const origin = (kernelFunc as unknown as Record<symbol, string | undefined>)[ORIGIN];
  return origin
    ? `@seblock/se-tfjs at ${origin}`
    : 'a kernel function that is not from @seblock/se-tfjs';
}

/**
 * Registers the fused SE kernels (cpu, wasm, webgl, webgpu) in TF.js' kernel registry, so {@link seBlock}
 * and the {@link SqueezeExcite} layer run one kernel instead of about ten ops on those
 * backends. Importing `@seblock/se-tfjs` does this already; call it yourself when you import
 * from `@seblock/se-tfjs/base`. Safe to call more than once; the backends need not be loaded.
 * A different kernel already registered under the same name and backend (typically a second
 * copy of se-tfjs in one bundle, whose kernel may expect other inputs) is an error naming both.
 *
 * @example
 * ```ts
 * import { registerSEKernels, seBlock } from '@seblock/se-tfjs/base';
 * registerSEKernels();
 * const y = seBlock(x, block);               // fused on cpu, wasm, webgl and webgpu
 * const z = seBlock(x, block, { fused: false }); // the composed TF.js ops
 * ```
 */
export function registerSEKernels(): void {
  for (const config of SE_KERNEL_CONFIGS) {
    const existing = getKernel(config.kernelName, config.backendName);
    if (!existing) registerKernel(config);
    else if (existing.kernelFunc !== config.kernelFunc) {
      throw new SEError(
        `kernel ${config.kernelName} (${config.backendName})`,
        `already registered by ${originOf(existing.kernelFunc)}, so this copy at ${HERE} cannot ` +
          'register its own: two copies of @seblock/se-tfjs are loaded (deduplicate the package in your lockfile or bundle)',
      );
    }
  }
}
