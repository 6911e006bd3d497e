import { getKernel, type KernelConfig, registerKernel } from '@tensorflow/tfjs-core';
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

/**
 * Registers the fused SE kernels (cpu, wasm, webgl, webgpu) in TF.js' kernel registry, so {@link seBlock}
 * and the {@link SqueezeExcite} layer run one kernel instead of about ten ops on those
 * backends. Importing `@seblock/se-tfjs` does this already; call it yourself when you import
 * from `@seblock/se-tfjs/base`. Safe to call more than once; the backends need not be loaded.
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
    if (!getKernel(config.kernelName, config.backendName)) registerKernel(config);
  }
}
