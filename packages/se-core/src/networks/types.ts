import type { SESpec } from '../spec/types.js';

/**
 * The graph IR of an inference network: runtime-free, one node per PyTorch operation that
 * matters numerically, every node with parameters carrying the PyTorch module path its
 * state_dict tensors live under. Adapters (TF.js, onnxruntime) build a model from it; the
 * state_dict schema is derived from it ({@link stateDictSchema}).
 *
 * Conventions (all PyTorch's):
 * - feature maps are N×C×H×W in PyTorch terms; an adapter may run channels-last inside;
 * - `[height, width]` pairs, and padding as `[top, left, bottom, right]`, always explicit
 *   (PyTorch pads symmetrically; TF's 'same' pads the extra row/column at the bottom/right
 *   only, so 'same' is wrong for stride 2 on even sizes);
 * - nodes are listed in a topological order, the first one is the only `input` node.
 */

/** `[height, width]`. */
export type Pair = readonly [number, number];
/** Zero (or, for max pooling, −∞) padding in pixels: `[top, left, bottom, right]`. */
export type Padding = readonly [number, number, number, number];

/** An elementwise activation. The hard-sigmoid always states its slope and offset. */
export type NetworkActivation =
  | { readonly kind: 'relu' | 'relu6' | 'hardswish' | 'silu' | 'sigmoid' | 'gelu' }
  | { readonly kind: 'hardsigmoid'; readonly alpha: number; readonly beta: number };

/** BatchNorm hyper-parameters, PyTorch's meaning (`momentum` weighs the NEW batch statistic). */
export interface BatchNormConfig {
  readonly eps: number;
  readonly momentum: number;
}

interface NodeBase {
  /** Unique within the network; the PyTorch module path when the node is a module. */
  readonly id: string;
  /** Ids of the nodes whose outputs this node reads. */
  readonly inputs: readonly string[];
}

/** The image: N×`channels`×H×W. */
export interface InputNode extends NodeBase {
  readonly op: 'input';
  readonly channels: number;
}

/** `nn.Conv2d`: weight `[out, in / groups, kh, kw]`, optional bias `[out]`. */
export interface Conv2dNode extends NodeBase {
  readonly op: 'conv2d';
  readonly module: string;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly padding: Padding;
  readonly dilation: Pair;
  /** 1: dense; `inChannels` (= `outChannels`): depthwise; anything between: grouped (ResNeXt). */
  readonly groups: number;
  readonly bias: boolean;
}

/** `nn.BatchNorm2d` with affine parameters and running statistics. */
export interface BatchNormNode extends NodeBase, BatchNormConfig {
  readonly op: 'batchNorm';
  readonly module: string;
  readonly channels: number;
}

export interface ActivationNode extends NodeBase {
  readonly op: 'activation';
  readonly activation: NetworkActivation;
}

/**
 * A Squeeze-and-Excitation block. Its PyTorch module holds `fc1` and `fc2` as 1×1
 * convolutions (timm `SEModule`, torchvision `SqueezeExcitation`): `{module}.fc1.weight`
 * `[reducedChannels, channels, 1, 1]`, `{module}.fc2.weight` `[channels, reducedChannels, 1, 1]`.
 */
export interface SENode extends NodeBase {
  readonly op: 'se';
  readonly module: string;
  readonly spec: SESpec;
}

/** Elementwise sum of its two inputs (a residual connection). */
export interface AddNode extends NodeBase {
  readonly op: 'add';
}

/** `nn.MaxPool2d` (floor mode): padded positions hold −∞, so they are never the maximum. */
export interface MaxPoolNode extends NodeBase {
  readonly op: 'maxPool';
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly padding: Padding;
}

/** Mean over H×W, output N×C: `nn.AdaptiveAvgPool2d(1)` followed by `flatten(1)`. */
export interface GlobalAvgPoolNode extends NodeBase {
  readonly op: 'globalAvgPool';
}

/** `nn.Linear` on N×features: weight `[out, in]`, optional bias `[out]`. */
export interface LinearNode extends NodeBase {
  readonly op: 'linear';
  readonly module: string;
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly bias: boolean;
}

/** `nn.Dropout(rate)`: identity in inference; in training zeroes and rescales by 1/(1-rate). */
export interface DropoutNode extends NodeBase {
  readonly op: 'dropout';
  readonly rate: number;
}

/**
 * torchvision `StochasticDepth(rate, 'row')` on a residual branch: identity in inference; in
 * training each sample's branch is dropped with probability `rate`, survivors scaled by 1/(1-rate).
 */
export interface StochasticDepthNode extends NodeBase {
  readonly op: 'stochasticDepth';
  readonly rate: number;
  readonly mode: 'row';
}

export type NetworkNode =
  | InputNode
  | Conv2dNode
  | BatchNormNode
  | ActivationNode
  | SENode
  | AddNode
  | MaxPoolNode
  | GlobalAvgPoolNode
  | LinearNode
  | DropoutNode
  | StochasticDepthNode;

/** Which library's module names (and so state_dict names) the network reproduces. */
export type NetworkNaming = 'timm' | 'torchvision';

/** Architectures with a builder in se-core (timm / torchvision model names). */
export type ArchitectureName =
  | 'resnet50'
  | 'seresnet50'
  | 'seresnet101'
  | 'seresnext50_32x4d'
  | 'mobilenet_v3_small'
  | 'mobilenet_v3_large'
  | 'efficientnet_b0';

/** A whole inference network. */
export interface NetworkDefinition {
  readonly format: 'seblock-network';
  readonly version: 1;
  readonly architecture: ArchitectureName;
  readonly naming: NetworkNaming;
  readonly numClasses: number;
  /** The builder options that made it (width multiplier etc.), for reports and config files. */
  readonly options: Readonly<Record<string, number>>;
  /** Topologically ordered; `nodes[0]` is the input. */
  readonly nodes: readonly NetworkNode[];
  /** Id of the node whose output is the logits (N×numClasses). */
  readonly output: string;
}

/** Options every builder takes. */
export interface NetworkOptions {
  /** Size of the classifier's output; 1000 (ImageNet) by default. */
  readonly numClasses?: number;
}
