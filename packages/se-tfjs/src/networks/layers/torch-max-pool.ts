import * as tf from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';
import type { Pair } from './pair.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

/** Arguments of {@link TorchMaxPool2d}. */
export interface TorchMaxPool2dArgs extends LayerArgs {
  poolSize: Pair;
  strides: Pair;
  padding: [number, number, number, number];
}

/**
 * PyTorch's `nn.MaxPool2d` (floor mode) on NHWC: pad with −∞ (never the maximum, as PyTorch's
 * implicit padding), then a 'valid' max pool. TF 'same' would pad bottom/right only.
 */
export class TorchMaxPool2d extends layers.Layer {
  static className = 'SeblockTorchMaxPool2d';
  readonly poolSize: Pair;
  readonly strides: Pair;
  readonly pads: [number, number, number, number];

  constructor(args: TorchMaxPool2dArgs) {
    super(args);
    this.poolSize = [...args.poolSize];
    this.strides = [...args.strides];
    this.pads = [...args.padding];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w, c] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const out = (size: number | null | undefined, axis: 0 | 1) =>
      size == null
        ? null
        : Math.floor(
            (size + this.pads[axis] + (this.pads[axis + 2] as number) - this.poolSize[axis]) /
              this.strides[axis],
          ) + 1;
    return [n ?? null, out(h, 0), out(w, 1), c ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() => {
      const [top, left, bottom, right] = this.pads;
      const padded = tf.pad(
        x,
        [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        Number.NEGATIVE_INFINITY,
      );
      return tf.maxPool(padded, this.poolSize, this.strides, 'valid');
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      poolSize: this.poolSize,
      strides: this.strides,
      padding: this.pads,
    };
  }
}
