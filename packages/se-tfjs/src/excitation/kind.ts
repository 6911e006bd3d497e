import {
  type ExcitationInputOf,
  type ExcitationKindName,
  type ExcitationSpecOf,
  type ReductionPresetName,
  type ReductionRule,
  SESpecError,
} from '@seblock/se-core';
import type * as tf from '@tensorflow/tfjs-core';
import type { ShaderDialect } from '../shader/dialect.js';

// What one excitation kind brings to TF.js (SPEC.md, "Excitation kinds"). se-core owns the
// kind's definition (spec fields, weight slots, float64 logits); a TF.js kind module adds the
// kind's composed ops, its forward and backward passes for the fused kernel, its part of
// the GPU programs and its layer weights. Everything else (squeeze, Σ logits over
// descriptors, gate, gain, scale, validation, loading, the layer) is generic and never asks
// which kind it runs. The cpu and wasm kernels need nothing here: they call se-core's own
// float64 logits.

/** Weight tensors of one block by se-core weight key (e.g. `fc1Weight`). */
export type KindTensors = Readonly<Record<string, tf.Tensor>>;

/** What a kind's ops are given besides the descriptors. */
export interface KindContext<K extends ExcitationKindName = ExcitationKindName> {
  readonly excitation: ExcitationSpecOf<K>;
  readonly channels: number;
  readonly weights: KindTensors;
  /**
   * True when the matrices with a TF.js dense form ({@link TfjsExcitationKind.kernelKeys})
   * are in that [in, out] layout, false for se-core's canonical [out, in].
   */
  readonly kernelLayout: boolean;
}

/** The gradients of one kind's logits, given dL/dlogits. */
export interface KindGradients {
  /** dL/d descriptors, like the descriptors. */
  readonly descriptors: tf.Tensor2D;
  /** dL/d weight, by weight key, each like its weight tensor. */
  readonly weights: Readonly<Record<string, tf.Tensor>>;
}

/**
 * One GPU pass of a kind, written once for GLSL and WGSL: one invocation per output element
 * (row, col), rows being descriptor rows. It reads each input `name` with `get<Name>(…)`
 * (`getDescriptors(row, k)`, `getFc1Weight(j, k)`, an earlier stage's `getHidden(row, j)`).
 */
export interface ShaderStage {
  /** The output's name, readable by later stages. */
  readonly name: string;
  /** Inputs: `descriptors`, an earlier stage's name, or a weight key. */
  readonly inputs: readonly string[];
  /** Output columns. */
  readonly columns: number;
  /** Functions declared before main. */
  readonly functions: string;
  /** Statements run for (row, col) before `value`. */
  readonly body: string;
  /** The output value. */
  readonly value: string;
}

/** How the kind's GPU stages are generated. */
export interface ShaderContext<K extends ExcitationKindName = ExcitationKindName> {
  readonly excitation: ExcitationSpecOf<K>;
  readonly channels: number;
  readonly kernelLayout: boolean;
  readonly dialect: ShaderDialect;
}

/** A weight of the SqueezeExcite layer: its variable name and which initializer fills it. */
export interface LayerWeight {
  /** e.g. `fc1/kernel` (saved models name variables `<layer>/fc1/kernel`). */
  readonly name: string;
  readonly initializer: 'kernel' | 'bias';
}

/** What the SqueezeExcite layer may leave out of an excitation, and how it is filled in. */
export interface LayerDefaultsContext {
  readonly channels: number;
  /** The layer's `rule` option (how reducedChannels follows from channels), if any. */
  readonly rule: ReductionRule | ReductionPresetName | undefined;
  /** Path of the excitation object in errors, e.g. `args.spec.excitation`. */
  readonly path: string;
  /** Path of the rule in errors. */
  readonly rulePath: string;
}

/** One excitation kind in TF.js. */
export interface TfjsExcitationKind<K extends ExcitationKindName> {
  readonly kind: K;
  /**
   * Matrix weights that may also be given in TF.js' dense [in, out] layout, and the key they
   * then go by (`fc1Weight` → `fc1Kernel`). The layer stores these in that layout.
   */
  readonly kernelKeys: Readonly<Record<string, string>>;
  /** The layer's variable of each weight key. */
  readonly layerWeights: Readonly<Record<string, LayerWeight>>;
  /** Logits of every descriptor row: [rows, C] → [rows, C], differentiable. */
  logits(ctx: KindContext<K>, descriptors: tf.Tensor2D): tf.Tensor2D;
  /**
   * The backward pass of {@link logits} as explicit ops (the fused kernel's gradient cannot
   * call tf.grads: TF.js has one tape), with TF.js' conventions at kinks.
   */
  backward(
    ctx: KindContext<K>,
    descriptors: tf.Tensor2D,
    logitsGradient: tf.Tensor2D,
  ): KindGradients;
  /** The GPU passes from descriptor rows to logit rows; the last one outputs [rows, C]. */
  shaderStages(ctx: ShaderContext<K>): readonly ShaderStage[];
  /**
   * The excitation with the layer's defaults filled in (e.g. mlp: ReLU, biases, reducedChannels
   * from the rule), for se-core to parse.
   */
  layerExcitation(
    input: Readonly<Record<string, unknown>>,
    ctx: LayerDefaultsContext,
  ): ExcitationInputOf<K>;
}

/** The layer's `rule` derives reducedChannels: an SESpecError for a kind without one. */
export function rejectRule(ctx: LayerDefaultsContext, kind: ExcitationKindName): void {
  if (ctx.rule !== undefined) {
    throw new SESpecError(
      ctx.rulePath,
      `no rule: an ${kind} excitation has no reducedChannels`,
      ctx.rule,
    );
  }
}

/** `get<Name>`: how both backends name the reader of a program input. */
export function getter(name: string): string {
  return `get${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}
