/** How the spatial map of each channel is reduced to one number. */
export type SqueezeMode = 'avg' | 'max' | 'avgmax';
/** Activation between the two fully connected layers. `gelu` is the exact (erf) form. */
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

/**
 * Version 1 of the SE block spec: squeeze → FC(C→reducedChannels) → act →
 * FC(reducedChannels→C) → gate → × gain → scale x.
 *
 * A later version may add an `excitation` field (eSE, ECA); version 1 files
 * stay valid because `version` selects the schema and v1 has exactly these fields.
 */
export interface SESpecV1 {
  readonly version: 1;
  readonly channels: number;
  readonly reducedChannels: number;
  readonly squeeze: SqueezeMode;
  readonly activation: Activation;
  readonly gate: Gate;
  readonly bias: boolean;
  /** Multiplier outside the gate (`e = gain * gate(...)`, NFNet uses 2). Always present after parsing. */
  readonly gain: number;
}

/** What a caller may write: `gain` may be left out (it defaults to 1). */
export type SESpecV1Input = Omit<SESpecV1, 'gain'> & { readonly gain?: number };

/** Every spec version this release understands, normalised. */
export type SESpec = SESpecV1;
/** Every spec version this release understands, as written by a user. */
export type SESpecInput = SESpecV1Input;

export const SPEC_VERSIONS = [1] as const;
export const SQUEEZE_MODES: readonly SqueezeMode[] = ['avg', 'max', 'avgmax'];
export const ACTIVATIONS: readonly Activation[] = ['relu', 'relu6', 'silu', 'gelu', 'hardswish'];
export const GATE_TYPES: readonly Gate['type'][] = ['sigmoid', 'hardsigmoid'];

/**
 * reducedChannels may exceed channels only up to this value: timm and torchvision
 * round through make_divisible with a floor of 8, so a 4-channel layer really has
 * an 8-unit hidden layer. Anything larger is almost surely a swapped field.
 */
export const MAKE_DIVISIBLE_FLOOR = 8;
