import { SEShapeError, SESpecError } from '@seblock/se-core';
import type * as tf from '@tensorflow/tfjs-core';
import type { layers, Shape } from '@tensorflow/tfjs-layers';
import type { SEResidualActivation } from '../op/fused.js';
import { checkResidualActivation, seResidualBlock } from '../op/se-residual.js';
import { SqueezeExcite, type SqueezeExciteArgs } from './squeeze-excite.js';

type Kwargs = Parameters<layers.Layer['call']>[1];

/** Arguments of {@link SqueezeExciteResidual}: those of {@link SqueezeExcite}, and the activation. */
export interface SqueezeExciteResidualArgs extends SqueezeExciteArgs {
  /** What follows the addition: `'relu'` (default, SE-ResNet) or `'identity'`. */
  activation?: SEResidualActivation;
}

const describe = (shape: Shape) => `[${shape.map((d) => (d === null ? 'null' : d)).join(', ')}]`;

/**
 * SE-ResNet's residual unit after the last batch norm, as one layer of two inputs
 * `[x, shortcut]`: `act(SE(x) + shortcut)`, one fused kernel where the backend has one
 * ({@link seResidualBlock}). An SE block in every other respect: the same spec, arguments,
 * variables (`fc1/kernel`, …) and weight files as {@link SqueezeExcite} (it is one, so
 * {@link loadSEWeights}, {@link exportSEWeights} and checkpoints work unchanged); trainable
 * and serialisable (`class_name` `SqueezeExciteResidual`).
 *
 * @example
 * ```ts
 * const input = tfl.input({ shape: [56, 56, 256] });
 * const branch = tfl.layers.conv2d({ filters: 256, kernelSize: 1 }).apply(input) as tfl.SymbolicTensor;
 * const out = new SqueezeExciteResidual({ rule: 'timm-se' }).apply([branch, input]); // relu(SE(branch) + input)
 * ```
 */
export class SqueezeExciteResidual extends SqueezeExcite {
  static override className = 'SqueezeExciteResidual';

  readonly activation: SEResidualActivation;

  constructor(args: SqueezeExciteResidualArgs = {}) {
    super(args);
    this.activation = checkResidualActivation(args.activation, 'args.activation');
  }

  /** The shapes of [x, shortcut], checked to be two of the same shape; returns x's. */
  private pair(inputShape: Shape | Shape[]): Shape {
    const shapes = Array.isArray(inputShape[0]) ? (inputShape as Shape[]) : [inputShape as Shape];
    const [x, shortcut] = shapes as [Shape, Shape | undefined];
    if (shapes.length !== 2 || !shortcut) {
      throw new SESpecError(
        `${this.name} inputs`,
        'two inputs, [x, shortcut]',
        `${shapes.length} input(s)`,
      );
    }
    const same =
      x.length === shortcut.length &&
      x.every((d, i) => d === null || shortcut[i] === null || d === shortcut[i]);
    if (!same) {
      throw new SEShapeError(
        `${this.name} shortcut shape`,
        `x's shape ${describe(x)}`,
        describe(shortcut),
      );
    }
    return x;
  }

  override build(inputShape: Shape | Shape[]): void {
    super.build(this.pair(inputShape));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return super.computeOutputShape(this.pair(inputShape));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const given = Array.isArray(inputs) ? inputs : [inputs];
    if (given.length !== 2) {
      throw new SESpecError(
        `${this.name} inputs`,
        'two inputs, [x, shortcut]',
        `${given.length} input(s)`,
      );
    }
    if (!this.built) throw new SESpecError(`${this.name}`, 'a built layer', 'not built');
    const weights = Object.fromEntries(
      Object.entries(this.seWeights).map(([key, variable]) => [key, variable.read()]),
    );
    const [x, shortcut] = given as [tf.Tensor4D, tf.Tensor4D];
    return seResidualBlock(
      x,
      shortcut,
      { spec: this.spec, weights },
      {
        layout: this.layout,
        activation: this.activation,
      },
    );
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), activation: this.activation };
  }
}
