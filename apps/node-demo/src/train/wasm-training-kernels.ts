import * as tf from '@tensorflow/tfjs-core';

// tfjs-backend-wasm 4.22 runs a conv net forward in XNNPACK but cannot train one: it has no
// Conv2DBackpropFilter kernel (the gradient of a convolution with respect to its filter). That
// gradient is a convolution itself, so this module registers it as a forward `conv2d`, through
// TF.js' public kernel registry. (The backend's Conv3DBackpropFilterV2, the obvious stand-in
// for a depth-1 convolution, is 5× slower here and gives wrong numbers for strided
// convolutions in 4.22.) Only what the demo's convolutions use is supported: NHWC, 'same' or
// 'valid' padding, no dilation; anything else throws.

interface ConvGradAttrs {
  readonly strides: number | readonly [number, number];
  readonly pad: unknown;
  readonly dataFormat: string;
}

interface Geometry {
  readonly strides: readonly [number, number];
  /** Rows/columns of padding before the image, as the forward convolution had them. */
  readonly top: number;
  readonly left: number;
}

function geometry(
  kernelName: string,
  attrs: ConvGradAttrs,
  input: readonly number[],
  output: readonly number[],
  kernel: readonly number[],
): Geometry {
  if (attrs.dataFormat !== 'NHWC' || (attrs.pad !== 'same' && attrs.pad !== 'valid')) {
    throw new Error(
      `${kernelName} on wasm (node-demo's kernel): expected NHWC with 'same' or 'valid' padding, received ${attrs.dataFormat} with ${JSON.stringify(attrs.pad)}`,
    );
  }
  const strides: [number, number] =
    typeof attrs.strides === 'number' ? [attrs.strides, attrs.strides] : [...attrs.strides];
  // TF's 'same': the total padding (out - 1)·s + k - in, the smaller half before.
  const before = (axis: 0 | 1) =>
    attrs.pad === 'valid'
      ? 0
      : Math.floor(
          Math.max(
            ((output[axis + 1] as number) - 1) * strides[axis] +
              (kernel[axis] as number) -
              (input[axis + 1] as number),
            0,
          ) / 2,
        );
  return { strides, top: before(0), left: before(1) };
}

/**
 * dW[kh, kw, ci, co] = Σ_{n,i,j} xPadded[n, i·s + kh, j·s + kw, ci] · dy[n, i, j, co]: a
 * convolution of xPadded seen as [ci, H, W, n] (channels as the batch, the batch as channels)
 * with dy seen as an [Ho, Wo, n, co] filter dilated by the stride.
 */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: readonly [number, number, number, number],
  attrs: ConvGradAttrs,
): tf.Tensor4D {
  const [, h, w] = x.shape;
  const [, ho, wo] = dy.shape;
  const [kh, kw] = filterShape;
  const { strides, top, left } = geometry('Conv2DBackpropFilter', attrs, x.shape, dy.shape, [
    kh,
    kw,
  ]);
  // Exactly the rows and columns the forward convolution read: padded, or cropped for 'valid'.
  const spanH = (ho - 1) * strides[0] + kh;
  const spanW = (wo - 1) * strides[1] + kw;
  const padded = tf.slice(
    tf.pad(x, [
      [0, 0],
      [top, Math.max(spanH - h - top, 0)],
      [left, Math.max(spanW - w - left, 0)],
      [0, 0],
    ]),
    [0, 0, 0, 0],
    [-1, spanH, spanW, -1],
  );
  const image = tf.transpose(padded, [3, 1, 2, 0]);
  const filter = tf.transpose(dy, [1, 2, 0, 3]);
  const grad = tf.conv2d(image, filter, 1, 'valid', 'NHWC', [strides[0], strides[1]]);
  return tf.transpose(grad, [1, 2, 0, 3]); // [ci, kh, kw, co] → [kh, kw, ci, co]
}

/**
 * Runs `compute` on TF.js tensors made from the kernel's inputs and hands the backend a copy of
 * the result. Ops inside a kernel are not recorded on the gradient tape (TF.js runs them at
 * kernel depth 1).
 */
function runAsKernel(
  backendArg: unknown,
  inputs: readonly tf.TensorInfo[],
  shape: readonly number[],
  compute: (...tensors: tf.Tensor4D[]) => tf.Tensor,
): tf.TensorInfo {
  const backend = backendArg as tf.KernelBackend;
  const engine = tf.engine();
  const values = tf.tidy(() => {
    const tensors = inputs.map((info) => {
      // A tensor over the input's data: it holds one more reference, so freeing it at the end
      // of the tidy leaves the caller's data alone.
      backend.incRef(info.dataId);
      return engine.makeTensorFromTensorInfo(info, backend) as tf.Tensor4D;
    });
    return compute(...tensors).dataSync() as Float32Array;
  });
  const dataId = backend.write(values, [...shape], 'float32');
  return { dataId, shape: [...shape], dtype: 'float32' };
}

/**
 * Registers the filter gradient of Conv2D for the wasm backend (once per process). Call before
 * training on wasm; it changes nothing for other backends.
 */
export function registerWasmTrainingKernels(): void {
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: ({ inputs, attrs, backend }) => {
        const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
        const { filterShape } = attrs as unknown as {
          filterShape: [number, number, number, number];
        };
        return runAsKernel(backend, [x, dy], filterShape, (xt, dyt) =>
          conv2dFilterGradient(
            xt as tf.Tensor4D,
            dyt as tf.Tensor4D,
            filterShape,
            attrs as unknown as ConvGradAttrs,
          ),
        );
      },
    });
  }
}
