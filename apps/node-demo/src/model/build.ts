import type { ExcitationKindName } from '@seblock/se-core';
import { type SqueezeExciteArgs, seResNetBasicBlock } from '@seblock/se-tfjs';
import * as tfl from '@tensorflow/tfjs-layers';
import { CLASSES, IMAGE_SIZE } from '../data/mnist.js';

/** The toy architecture: both twins share it, the SE-ResNet adds one SE block per residual unit. */
export interface NetConfig {
  /** Width of the stem and of the first residual stage (the second has twice as many). */
  readonly width: number;
  /**
   * The reduction ratio r of the kinds with a hidden layer (mlp, cbam: `reducedChannels =
   * C // r`). The paper uses 16 on 64–2048 channels; 4 suits 16–32.
   */
  readonly ratio: number;
  /** The SE blocks' excitation kind. */
  readonly kind: ExcitationKindName;
}

export const DEFAULT_NET: NetConfig = { width: 16, ratio: 4, kind: 'mlp' };

/**
 * The SE layer of each kind, with the kind's usual fields (se-tfjs' layer defaults: mlp ReLU
 * with biases, cbam ReLU without, ese with a bias, eca and ceca ECA-Net's adaptive kernel size). Only
 * the kinds with a hidden layer take the reduction rule; a table keyed by every kind, so a kind
 * added to se-core fails to compile here until it is given its layer.
 */
const SE_LAYERS = {
  mlp: (ratio) => ({ rule: { preset: 'paper', ratio }, spec: { excitation: { kind: 'mlp' } } }),
  cbam: (ratio) => ({ rule: { preset: 'paper', ratio }, spec: { excitation: { kind: 'cbam' } } }),
  ese: () => ({ spec: { excitation: { kind: 'ese' } } }),
  eca: () => ({ spec: { excitation: { kind: 'eca' } } }),
  ceca: () => ({ spec: { excitation: { kind: 'ceca' } } }),
} satisfies Record<ExcitationKindName, (ratio: number) => SqueezeExciteArgs>;

/** What the net with blocks of `kind` is called in tables (CBAM here is its channel attention only). */
export const NET_NAMES = {
  mlp: 'SE-ResNet',
  ese: 'eSE-ResNet',
  eca: 'ECA-ResNet',
  ceca: 'CECA-ResNet',
  cbam: 'CBAM-ResNet',
} satisfies Record<ExcitationKindName, string>;

/** Names of the residual units, in order; the SE blocks are `${unit}_se`. */
export const UNITS = ['layer1', 'layer2'] as const;

const conv = (filters: number, kernelSize: number, strides: number, name: string) =>
  tfl.layers.conv2d({
    filters,
    kernelSize,
    strides,
    padding: 'same',
    useBias: false,
    kernelInitializer: 'heNormal',
    name,
  });
const bn = (name: string) => tfl.layers.batchNormalization({ axis: -1, name });
const relu = (name: string) => tfl.layers.reLU({ name });

/**
 * The plain twin of se-tfjs' `seResNetBasicBlock`: the same layers with the same names, and no
 * SE block, so the two nets differ in exactly that (and their shared weights start equal).
 */
function plainBasicBlock(
  x: tfl.SymbolicTensor,
  filters: number,
  strides: number,
  name: string,
): tfl.SymbolicTensor {
  const apply = (layer: tfl.layers.Layer, input: tfl.SymbolicTensor | tfl.SymbolicTensor[]) =>
    layer.apply(input) as tfl.SymbolicTensor;
  let y = apply(conv(filters, 3, strides, `${name}_conv1`), x);
  y = apply(relu(`${name}_relu1`), apply(bn(`${name}_bn1`), y));
  y = apply(conv(filters, 3, 1, `${name}_conv2`), y);
  y = apply(bn(`${name}_bn2`), y);
  let shortcut = x;
  const inChannels = x.shape[3];
  if (strides !== 1 || inChannels !== filters) {
    shortcut = apply(conv(filters, 1, strides, `${name}_shortcut_conv`), x);
    shortcut = apply(bn(`${name}_shortcut_bn`), shortcut);
  }
  return apply(relu(`${name}_out`), apply(tfl.layers.add({ name: `${name}_add` }), [y, shortcut]));
}

/**
 * 28×28×1 → conv 3×3 (width) → BN → ReLU → basic block (width) → basic block (2·width, stride 2)
 * → global average pool → dense 10 (softmax). With `se`, each block is an SE-ResNet block (SE on
 * the residual branch after the last BN, before the addition: the paper's placement), its
 * excitation of `config.kind`.
 */
export function buildNet(se: boolean, config: NetConfig = DEFAULT_NET): tfl.LayersModel {
  const input = tfl.input({ shape: [IMAGE_SIZE, IMAGE_SIZE, 1], name: 'image' });
  let x = conv(config.width, 3, 2, 'stem_conv').apply(input) as tfl.SymbolicTensor;
  x = bn('stem_bn').apply(x) as tfl.SymbolicTensor;
  x = relu('stem_relu').apply(x) as tfl.SymbolicTensor;
  const stages = [
    { name: UNITS[0], filters: config.width, strides: 1 },
    { name: UNITS[1], filters: config.width * 2, strides: 2 },
  ];
  for (const stage of stages) {
    x = se
      ? seResNetBasicBlock(x, {
          filters: stage.filters,
          strides: stage.strides,
          name: stage.name,
          se: SE_LAYERS[config.kind](config.ratio),
        })
      : plainBasicBlock(x, stage.filters, stage.strides, stage.name);
  }
  x = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tfl.SymbolicTensor;
  const output = tfl.layers
    .dense({ units: CLASSES, activation: 'softmax', name: 'classifier' })
    .apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: output, name: se ? 'se_resnet' : 'resnet' });
}
