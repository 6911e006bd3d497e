import type { GraphBuilder } from './graph-builder.js';
import type { BatchNormConfig, NetworkActivation } from './types.js';

/** What torchvision's `Conv2dNormActivation` needs here. */
export interface ConvNormActArgs {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly stride?: number;
  readonly groups?: number;
  readonly batchNorm: BatchNormConfig;
  /** `undefined`: no activation (the projection convolution of an inverted residual). */
  readonly activation?: NetworkActivation;
}

/**
 * torchvision `Conv2dNormActivation`, an `nn.Sequential`: `{module}.0` the bias-free conv
 * (padding `(k - 1) / 2`), `{module}.1` the BatchNorm, `{module}.2` the activation.
 */
export function convNormActivation(
  g: GraphBuilder,
  input: string,
  module: string,
  args: ConvNormActArgs,
): string {
  let x = g.conv(input, `${module}.0`, {
    inChannels: args.inChannels,
    outChannels: args.outChannels,
    kernel: args.kernel,
    stride: args.stride ?? 1,
    groups: args.groups ?? 1,
  });
  x = g.batchNorm(x, `${module}.1`, args.outChannels, args.batchNorm);
  return args.activation ? g.activation(x, `${module}.2`, args.activation) : x;
}
