import {
  type Layout,
  type ReductionPresetName,
  type ReductionRule,
  SEShapeError,
} from '@seblock/se-core';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { InitializerInput } from '../layer/initializers.js';
import type { SqueezeExciteSpecV1Input, SqueezeExciteSpecV2Input } from '../layer/spec.js';
import { SqueezeExcite, type SqueezeExciteArgs } from '../layer/squeeze-excite.js';
import { SqueezeExciteResidual } from '../layer/squeeze-excite-residual.js';
import { checkSymbolicShape } from '../validate.js';

/** The spec fields an architecture's SE layers share: everything but their widths. */
export type SEOptionsSpec =
  | Omit<SqueezeExciteSpecV2Input, 'channels'>
  | Omit<SqueezeExciteSpecV1Input, 'channels' | 'reducedChannels'>;

/** How the SE layers of a building block are made. */
export interface SEOptions {
  /**
   * Spec fields shared by every SE layer (channels come from the tensor, reducedChannels from
   * `rule`); the layer's defaults otherwise (the paper's block).
   */
  readonly spec?: SEOptionsSpec;
  /** How `reducedChannels` follows from the channels; the paper's `C // 16` by default. */
  readonly rule?: ReductionRule | ReductionPresetName;
  readonly kernelInitializer?: InitializerInput;
  readonly biasInitializer?: InitializerInput;
}

/** The SE layer arguments that `options` gives. */
function seArgs(options: SEOptions, layout: Layout, name: string | undefined): SqueezeExciteArgs {
  return {
    ...(options.spec ? { spec: options.spec } : {}),
    ...(options.rule !== undefined ? { rule: options.rule } : {}),
    ...(options.kernelInitializer ? { kernelInitializer: options.kernelInitializer } : {}),
    ...(options.biasInitializer ? { biasInitializer: options.biasInitializer } : {}),
    layout,
    ...(name ? { name } : {}),
  };
}

/** Applies a new SqueezeExcite layer to `x`. */
export function applySE(
  x: SymbolicTensor,
  options: SEOptions,
  layout: Layout,
  name: string | undefined,
): SymbolicTensor {
  return new SqueezeExcite(seArgs(options, layout, name)).apply(x) as SymbolicTensor;
}

/** Applies a new SqueezeExciteResidual layer: relu(SE(x) + shortcut) as one kernel. */
export function applySEResidual(
  x: SymbolicTensor,
  shortcut: SymbolicTensor,
  options: SEOptions,
  layout: Layout,
  name: string | undefined,
): SymbolicTensor {
  return new SqueezeExciteResidual(seArgs(options, layout, name)).apply([
    x,
    shortcut,
  ]) as SymbolicTensor;
}

/** Channels of a symbolic rank-4 tensor, checked. */
export function channelsOf(x: SymbolicTensor, layout: Layout, field: string): number {
  if (!x || !Array.isArray((x as { shape?: unknown }).shape)) {
    throw new SEShapeError(field, 'a tf.SymbolicTensor (from tf.input or a layer.apply)', typeof x);
  }
  return checkSymbolicShape(x.shape, layout, undefined, field);
}

/** Layer name `prefix_suffix`, or undefined to let TF.js number it. */
export function named(prefix: string | undefined, suffix: string): { name?: string } {
  return prefix ? { name: `${prefix}_${suffix}` } : {};
}

export function conv(
  x: SymbolicTensor,
  filters: number,
  kernelSize: number,
  strides: number,
  layout: Layout,
  name: { name?: string },
): SymbolicTensor {
  return layers
    .conv2d({
      filters,
      kernelSize,
      strides,
      padding: 'same',
      useBias: false,
      kernelInitializer: 'heNormal',
      dataFormat: layout === 'NHWC' ? 'channelsLast' : 'channelsFirst',
      ...name,
    })
    .apply(x) as SymbolicTensor;
}

export function batchNorm(
  x: SymbolicTensor,
  layout: Layout,
  name: { name?: string },
): SymbolicTensor {
  return layers
    .batchNormalization({ axis: layout === 'NHWC' ? -1 : 1, ...name })
    .apply(x) as SymbolicTensor;
}

export function relu(x: SymbolicTensor, name: { name?: string }): SymbolicTensor {
  return layers.reLU(name).apply(x) as SymbolicTensor;
}

export function add(a: SymbolicTensor, b: SymbolicTensor, name: { name?: string }): SymbolicTensor {
  return layers.add(name).apply([a, b]) as SymbolicTensor;
}
