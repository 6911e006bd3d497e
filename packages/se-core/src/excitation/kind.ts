import type { WeightLayout } from '../import/layouts.js';
import type { TensorLike, TensorMap } from '../import/tensor-map.js';
import type { Activation, Gate, SqueezeMode } from '../spec/primitives.js';
import type { FloatArray } from '../weights/dtypes.js';

// The contract every excitation kind implements (SPEC.md, "Excitation kinds").
// One module per kind owns everything about it: its spec fields, weights,
// logits, cost, JSON schema and import names. Generic code (spec parser,
// weight codec, reference pipeline, importer) never switches on the kind.

/** `Math.fround` for the naive float32 evaluation, the identity for the float64 reference. */
export type Rounding = (value: number) => number;

/** What every excitation spec has: its kind name. */
export interface ExcitationSpecBase {
  readonly kind: string;
}

/** The weights of one block by weight key (e.g. `fc1Weight`), canonical layout, row-major. */
export type KindWeights = { readonly [key: string]: FloatArray | undefined };

/** One weight of a kind, as it lies in SE Blocks files and in {@link KindWeights}. */
export interface WeightSlot {
  /** Key in the weights record, e.g. `fc1Weight`. */
  readonly key: string;
  /** Tensor name in SE Blocks files (after `<prefix>.` in bundles), e.g. `fc1.weight`. */
  readonly tensor: string;
  /** Canonical shape, the one written. */
  readonly shape: readonly number[];
  /** Every shape accepted on read (same row-major values), canonical first. */
  readonly readShapes: readonly (readonly number[])[];
  /** The shape with named dims for messages, e.g. `[reducedChannels, C]`. */
  readonly dims: string;
  /** False when the spec rules this weight out (a bias with `bias: false`). */
  readonly present: boolean;
  /** Why an absent weight is absent, e.g. `spec.excitation.bias is false`. */
  readonly absentBecause?: string;
}

export interface KindParseContext {
  /** `channels` of the spec, already validated. */
  readonly channels: number;
  /** Dotted path of the excitation object, e.g. `spec.excitation`; errors name `${path}.<field>`. */
  readonly path: string;
}

/** Size of the excitation: parameters, and floating-point operations per descriptor of one sample. */
export interface ExcitationCost {
  readonly params: number;
  /** A multiply-add counts as 2. */
  readonly flops: number;
}

/** Excitation fields an importer takes from a preset or options because weights cannot say them. */
export type ExcitationBehaviourField = 'activation';

/**
 * How one codebase names and lays out the weights of one excitation kind. A
 * tensor is `<prefix><separator><name>` (just `<name>` for an empty prefix),
 * where the prefix is the module path of the block (`layer1.0.se`).
 */
export interface NamingConvention {
  readonly name: string;
  readonly description: string;
  /** The excitation kind whose weights these are. */
  readonly kind: string;
  /** Between prefix and names: '.' for PyTorch state_dicts, '_' or '/' for Keras. */
  readonly separator: string;
  /** The name of each weight, by the kind's weight key; the kind's first key finds blocks. */
  readonly tensors: Readonly<Record<string, string>>;
  /**
   * Layouts of the kind's matrix weights, told apart by rank (no two may share
   * a rank); the first is written on export. Empty for kinds without matrices.
   */
  readonly layouts: readonly WeightLayout[];
  /** TensorFlow variable names may end in ':0' (Keras h5, checkpoints): accept it on import. */
  readonly tfVariableSuffix?: boolean;
  /**
   * Weight keys that must all be present for a candidate to count, when the
   * first name alone is too common (every convolution is called `conv`).
   */
  readonly requires?: readonly string[];
  /**
   * The convention's tensors look exactly like another convention's (ceca's `conv.weight`
   * [1, 1, k] is eca's): only a preset, convention or kind that names it searches it; the
   * importer's hints and `se-core inspect` never propose it, so a checkpoint is never taken
   * for the other function by its names.
   */
  readonly onlyWhenNamed?: boolean;
}

/**
 * What the tensors cannot say about a block, as one codebase builds it
 * (SPEC.md, "Import conventions"); a kind module lists its presets.
 */
export interface ImportPreset {
  readonly name: string;
  readonly description: string;
  /** A built-in naming convention of the preset's kind. */
  readonly convention: string;
  readonly gate: Gate;
  readonly squeeze: SqueezeMode;
  /** 1 unless given (NFNet multiplies the attention by 2). */
  readonly gain?: number;
  /** For kinds with an activation (mlp, cbam). */
  readonly activation?: Activation;
  /**
   * For kinds whose weights do not fix the channel count (eca): tensors of the
   * block's parent module, relative to it, whose first dimension is the block's
   * channels; the first one present is used (e.g. `bn3.weight`).
   */
  readonly channelsFrom?: readonly string[];
  /**
   * What the codebase builds for `channels` (e.g. `{ reducedChannels: 8 }`);
   * the importer warns when a block differs (usually the wrong preset).
   */
  readonly expected?: (channels: number) => Readonly<Record<string, number>>;
}

/** One would-be block handed to a kind's reader. */
export interface KindReadInput {
  readonly tensors: TensorMap;
  readonly prefix: string;
  readonly convention: NamingConvention;
  /** Input tensor name of each weight of the convention, by weight key; undefined when absent. */
  readonly names: Readonly<Record<string, string | undefined>>;
  /** The block's channel count from options or the preset; throws SEImportError when unknown. */
  readonly channels: () => number;
}

/** A block read from foreign tensors, canonical layout. */
export interface KindReadResult {
  readonly channels: number;
  /** The excitation fields the tensors tell (e.g. `reducedChannels`, `bias`, `kernelSize`). */
  readonly excitation: Readonly<Record<string, unknown>>;
  readonly weights: KindWeights;
  /** Layout of the first matrix weight in the input, for kinds with matrices. */
  readonly layout?: WeightLayout;
  /** Input tensor names that made this block. */
  readonly tensors: readonly string[];
  readonly warnings?: readonly string[];
}

/**
 * One excitation kind: maps ONE descriptor (length C) to logits (length C).
 * The pipeline squeezes, sums the logits over descriptors, gates and scales.
 *
 * @typeParam S - the normalised excitation spec (`{ kind, ...fields }`).
 * @typeParam I - the excitation as users may write it (defaults left out).
 * @typeParam W - the weights record.
 */
export interface ExcitationKindModule<
  S extends ExcitationSpecBase,
  I extends ExcitationSpecBase,
  W extends KindWeights,
> {
  readonly kind: S['kind'];
  /** One line for tables and help texts. */
  readonly description: string;
  /** Squeeze modes this kind accepts; the first is the default when a spec leaves `squeeze` out. */
  readonly squeezeModes: readonly SqueezeMode[];
  /** Every weight key in slot order; the first one is how the importer finds a block. */
  readonly weightKeys: readonly string[];
  /** Excitation fields the importer takes from a preset or options. */
  readonly behaviourFields: readonly ExcitationBehaviourField[];
  /** Validates the excitation object (untrusted input), fills defaults; SESpecError names `${ctx.path}.<field>`. */
  parse(input: I, ctx: KindParseContext): S;
  /** The same spec with a fixed key order (what files store). */
  canonical(spec: S): S;
  /** Every weight slot, in kernel/input order, absent ones flagged. */
  slots(spec: S, channels: number): readonly WeightSlot[];
  /**
   * Logits of one descriptor `d` (length `channels`) into `out`, every operation
   * passed through `round` (identity: the float64 reference; Math.fround: the
   * naive float32 evaluation). Weights were validated against `slots`.
   */
  logits(
    spec: S,
    weights: W,
    d: ArrayLike<number>,
    channels: number,
    out: Float64Array,
    round: Rounding,
  ): void;
  cost(spec: S, channels: number): ExcitationCost;
  /** The excitation's fields in a few words, e.g. `rd 4, relu, bias`. */
  summary(spec: S): string;
  /** JSON Schema (2020-12) of the normalised-or-input `excitation` object of this kind. */
  readonly schema: Readonly<Record<string, unknown>>;
  /** Built-in naming conventions, by name. */
  readonly conventions: Readonly<Record<string, NamingConvention>>;
  /** Built-in import presets, by name. */
  readonly presets: Readonly<Record<string, ImportPreset>>;
  /**
   * Reads a candidate found by the convention's first weight name: a result, a
   * reason string for a look-alike that is not this kind's block (reported as
   * skipped), or undefined for tensors that merely share the name (ignored).
   * Throws SEImportError when the tensors are a block but inconsistent.
   */
  readTensors(input: KindReadInput): KindReadResult | string | undefined;
  /** The weights under `convention`'s names and layout: the inverse of readTensors. */
  writeTensors(
    spec: S,
    weights: W,
    channels: number,
    convention: NamingConvention,
  ): Readonly<Record<string, TensorLike>>;
}
