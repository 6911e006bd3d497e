import type { NetworkActivation } from '@seblock/se-core/networks';
import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { activation } from '../../op/functions.js';

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
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'hardsigmoid':
      return tf.clipByValue(tf.add(tf.mul(x, a.alpha), a.beta), 0, 1);
    default:
      // The SE block's activations, written once (PyTorch's order of operations, exact GELU).
      return activation(x as tf.Tensor2D, a.kind);
  }
}
