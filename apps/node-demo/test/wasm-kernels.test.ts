import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers'; // registers the gradients of the ops used below
import { beforeAll, describe, expect, it } from 'vitest';
import {
  conv2dFilterGradient,
  registerWasmTrainingKernels,
} from '../src/train/wasm-training-kernels.js';

// The demo trains on tfjs-backend-wasm through a Conv2DBackpropFilter kernel of its own. Its
// numbers must be TF.js' own gradient (the cpu backend's kernel), for every geometry the nets use.
const CASES = [
  { name: '3×3 stride 1 same', x: [4, 14, 14, 16], k: 3, co: 16, stride: 1, pad: 'same' },
  {
    name: '3×3 stride 2 same (odd padding)',
    x: [4, 14, 14, 16],
    k: 3,
    co: 32,
    stride: 2,
    pad: 'same',
  },
  { name: '1×1 stride 2 shortcut', x: [4, 14, 14, 16], k: 1, co: 32, stride: 2, pad: 'same' },
  { name: 'stem, 28×28×1, stride 2', x: [4, 28, 28, 1], k: 3, co: 16, stride: 2, pad: 'same' },
  { name: '3×3 stride 2 valid', x: [3, 15, 13, 5], k: 3, co: 7, stride: 2, pad: 'valid' },
] as const;

function gradientOnCpu(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  dy: tf.Tensor4D,
  stride: number,
  pad: 'same' | 'valid',
) {
  return tf.grad((filter) => tf.sum(tf.mul(tf.conv2d(x, filter as tf.Tensor4D, stride, pad), dy)))(
    w,
  );
}

describe('the wasm Conv2DBackpropFilter kernel', () => {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('cpu');
  });

  for (const c of CASES) {
    it(`equals TF.js' gradient: ${c.name}`, async () => {
      await tf.setBackend('cpu');
      const x = tf.randomNormal([...c.x], 0, 1, 'float32', 1) as tf.Tensor4D;
      const w = tf.randomNormal([c.k, c.k, c.x[3], c.co], 0, 1, 'float32', 2) as tf.Tensor4D;
      const outShape = tf.conv2d(x, w, c.stride, c.pad).shape;
      const dy = tf.randomNormal(outShape, 0, 1, 'float32', 3) as tf.Tensor4D;
      const expected = await gradientOnCpu(x, w, dy, c.stride, c.pad).data();
      // The same data on wasm, through the registered kernel (tf.grad → Conv2DBackpropFilter).
      const [xv, wv, dyv] = await Promise.all([x.data(), w.data(), dy.data()]);
      await tf.setBackend('wasm');
      const onWasm = (v: tf.TypedArray, s: readonly number[]) =>
        tf.tensor4d(v as Float32Array, s as [number, number, number, number]);
      const viaKernel = await gradientOnCpu(
        onWasm(xv, x.shape),
        onWasm(wv, w.shape),
        onWasm(dyv, dy.shape),
        c.stride,
        c.pad,
      ).data();
      const direct = await tf
        .tidy(() =>
          conv2dFilterGradient(onWasm(xv, x.shape), onWasm(dyv, dy.shape), w.shape, {
            strides: c.stride,
            pad: c.pad,
            dataFormat: 'NHWC',
          }),
        )
        .data();
      const scale = Math.max(...Array.from(expected, Math.abs));
      for (const actual of [viaKernel, direct]) {
        let worst = 0;
        for (let i = 0; i < expected.length; i++)
          worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
        // Sums of a few thousand float32 products, in another order: relative 1e-5 of the largest.
        expect(worst / scale).toBeLessThan(1e-5);
      }
    });
  }

  it('leaves no tensor behind', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 8, 8, 4]) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 4, 6]) as tf.Tensor4D;
    const dy = tf.randomNormal([2, 4, 4, 6]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const g = gradientOnCpu(x, w, dy, 2, 'same');
    await g.data();
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
