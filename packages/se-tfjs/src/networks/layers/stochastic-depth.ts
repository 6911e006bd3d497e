import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';

type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;
type Kwargs = Parameters<layers.Layer['call']>[1];

/** Arguments of {@link StochasticDepth}. */
export interface StochasticDepthArgs extends LayerArgs {
  rate: number;
}

/**
 * torchvision's `StochasticDepth(rate, 'row')`: the identity in inference; in training each
 * sample's residual branch is zeroed with probability `rate` and survivors are scaled by
 * 1 / (1 - rate).
 */
export class StochasticDepth extends layers.Layer {
  static className = 'SeblockStochasticDepth';
  readonly rate: number;

  constructor(args: StochasticDepthArgs) {
    super(args);
    this.rate = args.rate;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
    if (!kwargs.training || this.rate === 0) return tf.clone(x);
    return tf.tidy(() => {
      const survival = 1 - this.rate;
      const shape = [x.shape[0] as number, ...x.shape.slice(1).map(() => 1)];
      const keep = tf.cast(tf.less(tf.randomUniform(shape), survival), 'float32');
      return tf.mul(x, survival > 0 ? tf.div(keep, survival) : keep);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}
