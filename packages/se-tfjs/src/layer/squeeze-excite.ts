import {
  canonicalSpecJSON,
  type Layout,
  type ReductionPresetName,
  type ReductionRule,
  type SESpec,
  SESpecError,
} from '@seblock/se-core';
import type * as tf from '@tensorflow/tfjs-core';
import { type LayerVariable, layers, type Shape } from '@tensorflow/tfjs-layers';
import { seBlock } from '../op/se-block.js';
import { checkLayout, checkSymbolicShape } from '../validate.js';
import { type InitializerInput, serializeInitializer, toInitializer } from './initializers.js';
import { layerSlots } from './slots.js';
import { resolveSpec, type SqueezeExciteSpecInput } from './spec.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;
type Kwargs = Parameters<layers.Layer['call']>[1];

/** Arguments of the {@link SqueezeExcite} layer (plus the usual `name`, `trainable`, `inputShape`…). */
export interface SqueezeExciteArgs extends LayerArgs {
  /** The block; any field left out is derived (see {@link SqueezeExciteSpecInput}). */
  spec?: SqueezeExciteSpecInput;
  /** How to derive `reducedChannels` when the spec leaves it out; the paper's `C // 16` by default. */
  rule?: ReductionRule | ReductionPresetName;
  /** 'NHWC' (default) or 'NCHW'. */
  layout?: Layout;
  /** For the kernels (fc1/kernel, fc2/kernel, fc/kernel, …); Glorot uniform by default. */
  kernelInitializer?: InitializerInput;
  /** For the biases; zeros by default. */
  biasInitializer?: InitializerInput;
}

/**
 * A Squeeze-and-Excitation block as a trainable TF.js layer, of any excitation kind. Its
 * weights are the kind's, matrices in the TF.js dense layout: mlp and cbam `fc1/kernel`
 * [C, reducedChannels], `fc1/bias`, `fc2/kernel` [reducedChannels, C], `fc2/bias`; ese
 * `fc/kernel` [C, C] ([in, out]), `fc/bias` ({@link loadSEWeights} converts from se-core /
 * PyTorch files).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-layers';
 * import { SqueezeExcite } from '@seblock/se-tfjs';
 * const input = tf.input({ shape: [14, 14, 64] });
 * const se = new SqueezeExcite({ rule: { preset: 'timm-se' } }).apply(input);
 * const model = tf.model({ inputs: input, outputs: se as tf.SymbolicTensor });
 * ```
 */
export class SqueezeExcite extends layers.Layer {
  /** The name under which TF.js serialises the layer (`class_name` in model.json). */
  static className = 'SqueezeExcite';

  readonly layout: Layout;
  private readonly specInput: SqueezeExciteSpecInput;
  private readonly rule: ReductionRule | ReductionPresetName | undefined;
  private readonly kernelInitializer;
  private readonly biasInitializer;
  private resolved: SESpec | undefined;
  private variables: Record<string, LayerVariable> = {};

  constructor(args: SqueezeExciteArgs = {}) {
    super(args);
    this.layout = checkLayout(args.layout, 'args.layout');
    this.specInput = args.spec ?? {};
    this.rule = args.rule;
    this.kernelInitializer = toInitializer(
      args.kernelInitializer ?? 'glorotUniform',
      'args.kernelInitializer',
    );
    this.biasInitializer = toInitializer(args.biasInitializer ?? 'zeros', 'args.biasInitializer');
    // With channels known, resolve now so a bad spec fails at construction, not at first use.
    if (this.specInput.channels !== undefined) {
      this.resolved = resolveSpec(
        this.specInput,
        this.rule,
        this.specInput.channels,
        'args.spec',
        'args.rule',
      );
    }
  }

  /** The resolved se-core spec (known once channels are: from the args or at build time). */
  get spec(): SESpec {
    if (!this.resolved) {
      throw new SESpecError(
        `${this.name}.spec.channels`,
        'known channels: give spec.channels, or apply/build the layer first',
        undefined,
      );
    }
    return this.resolved;
  }

  /**
   * The layer's weight variables (once built) by the key {@link seBlock} takes them under:
   * the kernel key of a matrix (`fc1Kernel` [C, reducedChannels], `fcKernel` [C, C]), the
   * se-core weight key otherwise (`fc1Bias`, `fcBias`).
   */
  get seWeights(): Readonly<Record<string, LayerVariable>> {
    return { ...this.variables };
  }

  /**
   * The spec this layer has, or would have once built on an input with `channels` channels
   * (nothing is built or allocated).
   */
  specFor(channels: number): SESpec {
    if (this.resolved) return this.resolved;
    return resolveSpec(
      this.specInput,
      this.rule,
      channels,
      `${this.name}.spec`,
      `${this.name}.rule`,
    );
  }

  private singleShape(inputShape: Shape | Shape[]): Shape {
    if (Array.isArray(inputShape[0])) {
      if (inputShape.length !== 1) {
        throw new SESpecError(
          `${this.name} inputs`,
          'exactly one input',
          `${inputShape.length} inputs`,
        );
      }
      return inputShape[0] as Shape;
    }
    return inputShape as Shape;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = this.singleShape(inputShape);
    const channels = checkSymbolicShape(
      shape,
      this.layout,
      this.resolved?.channels,
      `${this.name} input shape`,
    );
    this.resolved ??= this.specFor(channels);
    for (const weight of layerSlots(this.resolved)) {
      const initializer =
        weight.initializer === 'kernel' ? this.kernelInitializer : this.biasInitializer;
      this.variables[weight.key] = this.addWeight(
        weight.name,
        [...weight.shape],
        'float32',
        initializer,
        undefined,
        true,
      );
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    checkSymbolicShape(
      this.singleShape(inputShape),
      this.layout,
      this.resolved?.channels,
      `${this.name} input shape`,
    );
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs : [inputs];
    if (x.length !== 1)
      throw new SESpecError(`${this.name} inputs`, 'exactly one input', `${x.length} inputs`);
    if (!this.built) throw new SESpecError(`${this.name}`, 'a built layer', 'not built');
    const weights = Object.fromEntries(
      Object.entries(this.variables).map(([key, variable]) => [key, variable.read()]),
    );
    return seBlock(x[0] as tf.Tensor4D, { spec: this.spec, weights }, { layout: this.layout });
  }

  /**
   * Frees the weights, as for any layer. A layer built by {@link loadSEWeights} (or `build()`)
   * and then only called on concrete tensors never receives the reference count TF.js sets on
   * a first `apply()`, and TF.js would refuse to dispose it; such a layer counts as used once.
   */
  override dispose(): ReturnType<layers.Layer['dispose']> {
    const counted = this as unknown as { _refCount: number | null };
    if (this.built && counted._refCount === null) counted._refCount = 1;
    return super.dispose();
  }

  override getConfig(): tf.serialization.ConfigDict {
    const spec = this.resolved ? canonicalSpecJSON(this.resolved) : { ...this.specInput };
    const rule =
      this.resolved || this.rule === undefined
        ? {}
        : { rule: typeof this.rule === 'string' ? this.rule : { ...this.rule } };
    return {
      ...super.getConfig(),
      spec: spec as unknown as tf.serialization.ConfigDict,
      ...(rule as tf.serialization.ConfigDict),
      layout: this.layout,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
    };
  }

  /** @nocollapse */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    // model.json stores string values snake_cased ('NHWC' → 'nhwc'); undo that for the layout.
    const layout = typeof config.layout === 'string' ? config.layout.toUpperCase() : config.layout;
    return new cls({ ...config, layout });
  }
}
