import { type Layout, SESpecError } from '@seblock/se-core';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { checkLayout } from '../validate.js';
import {
  add,
  applySE,
  applySEResidual,
  batchNorm,
  channelsOf,
  conv,
  named,
  relu,
  type SEOptions,
} from './common.js';

/**
 * Where the SE block sits in a residual unit (Hu et al., §6.5 and Fig. 5):
 * - `standard`: on the residual branch, after its last batch norm, before the addition;
 * - `pre`: before the residual unit (on the branch input; the shortcut sees the plain input);
 * - `post`: after the addition with the identity branch (after its ReLU);
 * - `identity`: on the identity (shortcut) connection, in parallel to the residual unit.
 */
export type SEPlacement = 'standard' | 'pre' | 'post' | 'identity';
export const SE_PLACEMENTS: readonly SEPlacement[] = ['standard', 'pre', 'post', 'identity'];

/** Options of {@link seResNetBasicBlock} and {@link seResNetBottleneck}. */
export interface SEResNetBlockOptions {
  /** Width of the 3×3 convolutions (the bottleneck's output is `filters × expansion`). */
  readonly filters: number;
  /** Stride of the first 3×3 (basic) or of the 3×3 (bottleneck, as torchvision v1.5); 1 by default. */
  readonly strides?: number;
  /** Where the SE block goes; 'standard' by default. */
  readonly placement?: SEPlacement;
  readonly se?: SEOptions;
  /** 'NHWC' (default) or 'NCHW'. */
  readonly layout?: Layout;
  /** Prefix of the layer names (`${name}_conv1`, `${name}_se`, …); TF.js numbering otherwise. */
  readonly name?: string;
  /**
   * With the standard placement: the SE block, the addition and the ReLU as one
   * {@link SqueezeExciteResidual} layer (`${name}_se`, one fused kernel) instead of three
   * layers (`_se`, `_add`, `_out`). Same weights under the same names. False by default, so
   * the graph keeps the layers a plain ResNet twin has.
   */
  readonly fuseResidual?: boolean;
}

function checkOptions(options: SEResNetBlockOptions): {
  layout: Layout;
  placement: SEPlacement;
  strides: number;
} {
  const layout = checkLayout(options?.layout);
  const placement = options.placement ?? 'standard';
  if (!SE_PLACEMENTS.includes(placement)) {
    throw new SESpecError(
      'options.placement',
      SE_PLACEMENTS.map((p) => `"${p}"`).join(' | '),
      placement,
    );
  }
  if (!Number.isInteger(options.filters) || options.filters < 1) {
    throw new SESpecError('options.filters', 'an integer >= 1', options.filters);
  }
  if (options.fuseResidual !== undefined && typeof options.fuseResidual !== 'boolean') {
    throw new SESpecError('options.fuseResidual', 'a boolean', options.fuseResidual);
  }
  if (options.fuseResidual && placement !== 'standard') {
    // Only the standard placement has SE(x) + shortcut followed by the ReLU.
    throw new SESpecError('options.fuseResidual', 'true only with placement "standard"', placement);
  }
  const strides = options.strides ?? 1;
  if (!Number.isInteger(strides) || strides < 1)
    throw new SESpecError('options.strides', 'an integer >= 1', strides);
  return { layout, placement, strides };
}

/**
 * Wires a residual unit with SE at `placement`. `branch` builds the residual branch (ending
 * with its last batch norm) and returns it; the shortcut is projected (1×1 conv + BN) when the
 * shape changes.
 */
function residualUnit(
  x: SymbolicTensor,
  outChannels: number,
  options: SEResNetBlockOptions,
  branch: (input: SymbolicTensor, layout: Layout, strides: number) => SymbolicTensor,
): SymbolicTensor {
  const { layout, placement, strides } = checkOptions(options);
  const inChannels = channelsOf(x, layout, 'x');
  const se = options.se ?? {};
  const prefix = options.name;
  const seName = named(prefix, 'se').name;

  const fuse = placement === 'standard' && options.fuseResidual === true;
  const branchInput = placement === 'pre' ? applySE(x, se, layout, seName) : x;
  let residual = branch(branchInput, layout, strides);
  if (placement === 'standard' && !fuse) residual = applySE(residual, se, layout, seName);

  let shortcut = x;
  if (strides !== 1 || inChannels !== outChannels) {
    shortcut = conv(x, outChannels, 1, strides, layout, named(prefix, 'shortcut_conv'));
    shortcut = batchNorm(shortcut, layout, named(prefix, 'shortcut_bn'));
  }
  if (placement === 'identity') shortcut = applySE(shortcut, se, layout, seName);
  if (fuse) return applySEResidual(residual, shortcut, se, layout, seName);

  const out = relu(add(residual, shortcut, named(prefix, 'add')), named(prefix, 'out'));
  return placement === 'post' ? applySE(out, se, layout, seName) : out;
}

/**
 * A ResNet basic block (two 3×3 convolutions, He et al. 2016) with an SE block at `placement`.
 * Works on symbolic tensors, to build models with `tf.model`.
 *
 * @example
 * ```ts
 * const input = tf.input({ shape: [32, 32, 64] });
 * let x = seResNetBasicBlock(input, { filters: 64, name: 'layer1_0' });
 * x = seResNetBasicBlock(x, { filters: 128, strides: 2, placement: 'identity' });
 * const model = tf.model({ inputs: input, outputs: x });
 * ```
 */
export function seResNetBasicBlock(
  x: SymbolicTensor,
  options: SEResNetBlockOptions,
): SymbolicTensor {
  const prefix = options?.name;
  return residualUnit(x, options?.filters, options, (input, layout, strides) => {
    let y = conv(input, options.filters, 3, strides, layout, named(prefix, 'conv1'));
    y = relu(batchNorm(y, layout, named(prefix, 'bn1')), named(prefix, 'relu1'));
    y = conv(y, options.filters, 3, 1, layout, named(prefix, 'conv2'));
    return batchNorm(y, layout, named(prefix, 'bn2'));
  });
}

/**
 * A ResNet bottleneck block (1×1 → 3×3 → 1×1 with `expansion` × `filters` outputs) with an SE
 * block at `placement`, as in SE-ResNet-50. The stride sits on the 3×3 (torchvision's v1.5).
 *
 * @example
 * ```ts
 * const input = tf.input({ shape: [56, 56, 256] });
 * const y = seResNetBottleneck(input, { filters: 64, se: { rule: 'paper' } }); // 256 channels out
 * ```
 */
export function seResNetBottleneck(
  x: SymbolicTensor,
  options: SEResNetBlockOptions & { readonly expansion?: number },
): SymbolicTensor {
  const expansion = options?.expansion ?? 4;
  if (!Number.isInteger(expansion) || expansion < 1) {
    throw new SESpecError('options.expansion', 'an integer >= 1', expansion);
  }
  const prefix = options?.name;
  const out = options?.filters * expansion;
  return residualUnit(x, out, options, (input, layout, strides) => {
    let y = conv(input, options.filters, 1, 1, layout, named(prefix, 'conv1'));
    y = relu(batchNorm(y, layout, named(prefix, 'bn1')), named(prefix, 'relu1'));
    y = conv(y, options.filters, 3, strides, layout, named(prefix, 'conv2'));
    y = relu(batchNorm(y, layout, named(prefix, 'bn2')), named(prefix, 'relu2'));
    y = conv(y, out, 1, 1, layout, named(prefix, 'conv3'));
    return batchNorm(y, layout, named(prefix, 'bn3'));
  });
}
