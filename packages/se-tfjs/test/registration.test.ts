import { SEError } from '@seblock/se-core';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { registerSEKernels, SE_KERNEL_NAME } from '../src/base.js';
import { SE_KERNEL_CONFIGS } from '../src/kernels/register.js';

// Two copies of se-tfjs in one bundle register two kernel functions under one name, maybe
// with different inputs: the second must fail loudly, naming both, not run the first's kernel.

const ours = SE_KERNEL_CONFIGS.find((c) => c.backendName === 'cpu') as tf.KernelConfig;

function replaceCpuKernel(kernelFunc: tf.KernelFunc): void {
  tf.unregisterKernel(SE_KERNEL_NAME, 'cpu');
  tf.registerKernel({ ...ours, kernelFunc });
}

afterEach(() => {
  if (tf.getKernel(SE_KERNEL_NAME, 'cpu')) tf.unregisterKernel(SE_KERNEL_NAME, 'cpu');
  tf.registerKernel(ours);
});

describe('registerSEKernels', () => {
  it('registers every backend once and accepts being called again with the same kernels', () => {
    registerSEKernels();
    registerSEKernels();
    for (const config of SE_KERNEL_CONFIGS) {
      expect(tf.getKernel(SE_KERNEL_NAME, config.backendName)?.kernelFunc).toBe(config.kernelFunc);
    }
  });

  it('refuses a different kernel under our name, naming both copies', () => {
    registerSEKernels();
    // What another copy's kernel carries: its module's URL under the shared symbol.
    const other: tf.KernelFunc = () => {
      throw new Error('not run');
    };
    Object.defineProperty(other, Symbol.for('@seblock/se-tfjs kernel origin'), {
      value: 'file:///app/node_modules/.pnpm/other/se-tfjs/dist/kernels/register.js',
    });
    replaceCpuKernel(other);
    expect(() => registerSEKernels()).toThrow(SEError);
    expect(() => registerSEKernels()).toThrow(
      /kernel SeblockSqueezeExcite \(cpu\): already registered by @seblock\/se-tfjs at file:\/\/\/app\/node_modules\/\.pnpm\/other\/.*this copy at file:.*src\/kernels\/register\.ts.*two copies of @seblock\/se-tfjs are loaded/,
    );
  });

  it('says so when the kernel under our name is not from se-tfjs at all', () => {
    replaceCpuKernel(() => {
      throw new Error('not run');
    });
    expect(() => registerSEKernels()).toThrow(
      /a kernel function that is not from @seblock\/se-tfjs/,
    );
  });
});
