import type { NetworkActivation } from '@seblock/se-core/networks';
import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';

type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

/** Arguments of {@link TorchActivation}. */
export interface TorchActivationArgs extends LayerArgs {
  activation: NetworkActivation;
}

/**
 * PyTorch's elementwise activations, in PyTorch's order of operations. The hard-sigmoid uses
 * its stated alpha and beta (TF.js' 'hardSigmoid' is fixed at 0.2x + 0.5, not PyTorch's 1/6).
 */
export class TorchActivation extends layers.Layer {
  static className = 'SeblockTorchActivation';
  readonly activation: NetworkActivation;

  constructor(args: TorchActivationArgs) {
    super(args);
    this.activation = { ...args.activation };
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
    return tf.tidy(() => applyActivation(x, this.activation));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), activation: { ...this.activation } };
  }
}

function applyActivation(x: tf.Tensor, a: NetworkActivation): tf.Tensor {
  switch (a.kind) {
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'silu':
      return tf.mul(x, tf.sigmoid(x));
    case 'hardswish':
      // PyTorch: x * min(max(x + 3, 0), 6) / 6.
      return tf.div(tf.mul(x, tf.relu6(tf.add(x, 3))), 6);
    case 'hardsigmoid':
      return tf.clipByValue(tf.add(tf.mul(x, a.alpha), a.beta), 0, 1);
    case 'gelu':
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
  }
}
