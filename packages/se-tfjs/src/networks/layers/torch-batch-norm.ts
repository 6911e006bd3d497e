import * as tf from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable, layers, type Shape } from '@tensorflow/tfjs-layers';

type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;
type Kwargs = Parameters<layers.Layer['call']>[1];

/** Arguments of {@link TorchBatchNorm}: PyTorch's eps and momentum, unchanged. */
export interface TorchBatchNormArgs extends LayerArgs {
  eps: number;
  /** PyTorch's meaning: `running = (1 - momentum) · running + momentum · batch`. */
  momentum: number;
}

/**
 * PyTorch's `nn.BatchNorm2d` on NHWC tensors, with PyTorch's training semantics, which TF.js'
 * own batchNormalization layer does not have: the running variance is updated with the
 * unbiased batch variance (n / (n - 1)), momentum weighs the new batch, and
 * `num_batches_tracked` counts the training batches (an int32 weight, so an exported
 * state_dict has it back as I64). In inference it is `tf.batchNorm` with the running statistics.
 */
export class TorchBatchNorm extends layers.Layer {
  static className = 'SeblockTorchBatchNorm';
  readonly eps: number;
  readonly momentum: number;
  gamma?: LayerVariable;
  beta?: LayerVariable;
  runningMean?: LayerVariable;
  runningVar?: LayerVariable;
  numBatchesTracked?: LayerVariable;

  constructor(args: TorchBatchNormArgs) {
    super(args);
    this.eps = args.eps;
    this.momentum = args.momentum;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const c = [shape[3] as number];
    this.gamma = this.addWeight('gamma', c, 'float32', initializers.ones());
    this.beta = this.addWeight('beta', c, 'float32', initializers.zeros());
    this.runningMean = this.addWeight(
      'running_mean',
      c,
      'float32',
      initializers.zeros(),
      undefined,
      false,
    );
    this.runningVar = this.addWeight(
      'running_var',
      c,
      'float32',
      initializers.ones(),
      undefined,
      false,
    );
    this.numBatchesTracked = this.addWeight(
      'num_batches_tracked',
      [],
      'int32',
      initializers.zeros(),
      undefined,
      false,
    );
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const gamma = (this.gamma as LayerVariable).read() as tf.Tensor1D;
    const beta = (this.beta as LayerVariable).read() as tf.Tensor1D;
    if (!kwargs.training) {
      return tf.batchNorm(
        x,
        (this.runningMean as LayerVariable).read() as tf.Tensor1D,
        (this.runningVar as LayerVariable).read() as tf.Tensor1D,
        beta,
        gamma,
        this.eps,
      );
    }
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    this.updateRunningStatistics(mean, variance, x.size / x.shape[3]);
    return tf.batchNorm(x, mean, variance, beta, gamma, this.eps);
  }

  private updateRunningStatistics(mean: tf.Tensor, variance: tf.Tensor, count: number): void {
    const m = this.momentum;
    const rm = this.runningMean as LayerVariable;
    const rv = this.runningVar as LayerVariable;
    const nbt = this.numBatchesTracked as LayerVariable;
    tf.tidy(() => {
      // PyTorch keeps the unbiased variance; a single-value batch has none (it raises there).
      const unbiased = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
      rm.write(tf.add(tf.mul(rm.read(), 1 - m), tf.mul(mean, m)));
      rv.write(tf.add(tf.mul(rv.read(), 1 - m), tf.mul(unbiased, m)));
      nbt.write(tf.add(nbt.read(), tf.scalar(1, 'int32')));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), eps: this.eps, momentum: this.momentum };
  }
}
