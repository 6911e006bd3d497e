// The spec's building blocks, apart from the spec types (spec/types.ts): kind modules
// use these, and the spec types are derived from the kind registry, so keeping them
// here keeps the kinds out of an import cycle with the registry.

/**
 * How the H×W map of each channel becomes the descriptor(s) the excitation
 * sees (SPEC.md, "Squeeze"): `avg` and `max` pool, `avgmax` is one vector
 * 0.5·avg + 0.5·max (timm `add_maxpool`), `avg+max` is two vectors, each
 * through the excitation, logits summed (CBAM).
 */
export type SqueezeMode = 'avg' | 'max' | 'avgmax' | 'avg+max';
/** Activation inside an MLP excitation. `gelu` is the exact (erf) form. */
export type Activation = 'relu' | 'relu6' | 'silu' | 'gelu' | 'hardswish';

/** `1 / (1 + exp(-z))`. */
export interface SigmoidGate {
  readonly type: 'sigmoid';
}
/** `clamp(alpha * z + beta, 0, 1)`; alpha and beta are always explicit (frameworks disagree on defaults). */
export interface HardSigmoidGate {
  readonly type: 'hardsigmoid';
  readonly alpha: number;
  readonly beta: number;
}
export type Gate = SigmoidGate | HardSigmoidGate;

export const SQUEEZE_MODES: readonly SqueezeMode[] = ['avg', 'max', 'avgmax', 'avg+max'];
export const ACTIVATIONS: readonly Activation[] = ['relu', 'relu6', 'silu', 'gelu', 'hardswish'];
export const GATE_TYPES: readonly Gate['type'][] = ['sigmoid', 'hardsigmoid'];

/**
 * reducedChannels may exceed channels only up to this value: timm and torchvision
 * round through make_divisible with a floor of 8, so a 4-channel layer really has
 * an 8-unit hidden layer. Anything larger is almost surely a swapped field.
 */
export const MAKE_DIVISIBLE_FLOOR = 8;
