import type { Layout } from '@seblock/se-core';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { checkLayout } from '../validate.js';
import { applySE, channelsOf, type SEOptions } from './common.js';

/** A module to wrap: a function of a symbolic tensor, or a layer / model applied to it. */
export type InceptionModule = ((x: SymbolicTensor) => SymbolicTensor) | layers.Layer;

/** Options of {@link seInception}. */
export interface SEInceptionOptions {
  readonly se?: SEOptions;
  /** 'NHWC' (default) or 'NCHW'. */
  readonly layout?: Layout;
  /** Name of the SE layer. */
  readonly name?: string;
}

/**
 * SE-Inception (Hu et al., Fig. 2): the SE block recalibrates the whole module's output.
 * Returns a function that applies `module`, then SE on its (concatenated) output.
 *
 * @example
 * ```ts
 * const module = (x: tf.SymbolicTensor) => tf.layers.concatenate().apply([
 *   tf.layers.conv2d({ filters: 32, kernelSize: 1 }).apply(x),
 *   tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same' }).apply(x),
 * ]) as tf.SymbolicTensor;
 * const y = seInception(module, { se: { rule: { preset: 'paper', ratio: 16 } } })(input);
 * ```
 */
export function seInception(
  module: InceptionModule,
  options: SEInceptionOptions = {},
): (x: SymbolicTensor) => SymbolicTensor {
  const layout = checkLayout(options.layout);
  return (x) => {
    const out = module instanceof layers.Layer ? (module.apply(x) as SymbolicTensor) : module(x);
    channelsOf(out, layout, 'module output');
    return applySE(out, options.se ?? {}, layout, options.name);
  };
}
