import * as tf from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable, layers, type Shape } from '@tensorflow/tfjs-layers';
import type { Pair } from './pair.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

/** Arguments of {@link TorchConv2d}: PyTorch's `nn.Conv2d`, padding explicit. */
export interface TorchConv2dArgs extends LayerArgs {
  filters: number;
  kernelSize: Pair;
  strides: Pair;
  /** `[top, left, bottom, right]` zero padding (PyTorch pads symmetrically; TF 'same' does not). */
  padding: [number, number, number, number];
  dilation: Pair;
  groups: number;
  useBias: boolean;
}

/**
 * PyTorch's `nn.Conv2d` on NHWC tensors: explicit zero padding, then a 'valid' convolution;
 * `groups` = channels runs TF.js' depthwise convolution, other `groups` > 1 run one convolution
 * per group (TF.js has no grouped convolution) and concatenate, which stays differentiable.
 * The kernel is stored `[kh, kw, in / groups, out]` whatever the grouping.
 */
export class TorchConv2d extends layers.Layer {
  static className = 'SeblockTorchConv2d';
  readonly filters: number;
  readonly kernelSize: Pair;
  readonly strides: Pair;
  readonly pads: [number, number, number, number];
  readonly dilation: Pair;
  readonly groups: number;
  readonly useBias: boolean;
  kernel?: LayerVariable;
  bias?: LayerVariable;

  constructor(args: TorchConv2dArgs) {
    super(args);
    this.filters = args.filters;
    this.kernelSize = [...args.kernelSize];
    this.strides = [...args.strides];
    this.pads = [...args.padding];
    this.dilation = [...args.dilation];
    this.groups = args.groups;
    this.useBias = args.useBias;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const channels = shape[3] as number;
    const perGroup = channels / this.groups;
    this.kernel = this.addWeight(
      'kernel',
      [...this.kernelSize, perGroup, this.filters],
      'float32',
      initializers.heNormal({}),
    );
    if (this.useBias)
      this.bias = this.addWeight('bias', [this.filters], 'float32', initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const out = (size: number | null, axis: 0 | 1) => {
      if (size === null) return null;
      const padded = size + this.pads[axis] + (this.pads[axis + 2] as number);
      const span = this.dilation[axis] * (this.kernelSize[axis] - 1) + 1;
      return Math.floor((padded - span) / this.strides[axis]) + 1;
    };
    return [n ?? null, out(h ?? null, 0), out(w ?? null, 1), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const [top, left, bottom, right] = this.pads;
      const padded =
        top || left || bottom || right
          ? tf.pad(x, [
              [0, 0],
              [top, bottom],
              [left, right],
              [0, 0],
            ])
          : x;
      const kernel = (this.kernel as LayerVariable).read() as tf.Tensor4D;
      const channels = x.shape[3];
      let y: tf.Tensor4D;
      if (this.groups === 1) {
        y = tf.conv2d(padded, kernel, this.strides, 'valid', 'NHWC', this.dilation);
      } else if (this.groups === channels && this.filters === channels) {
        const [kh, kw] = this.kernelSize;
        y = tf.depthwiseConv2d(
          padded,
          tf.reshape(kernel, [kh, kw, channels, 1]) as tf.Tensor4D,
          this.strides,
          'valid',
          'NHWC',
          this.dilation,
        );
      } else {
        const xs = tf.split(padded, this.groups, 3);
        const ks = tf.split(kernel, this.groups, 3);
        y = tf.concat(
          xs.map((part, g) =>
            tf.conv2d(
              part as tf.Tensor4D,
              ks[g] as tf.Tensor4D,
              this.strides,
              'valid',
              'NHWC',
              this.dilation,
            ),
          ),
          3,
        ) as tf.Tensor4D;
      }
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.pads,
      dilation: this.dilation,
      groups: this.groups,
      useBias: this.useBias,
    };
  }
}
