import { makeDivisible, resolveReducedChannels } from '../spec/reduction.js';
import {
  checkMultiplier,
  checkNumClasses,
  GraphBuilder,
  HARDSWISH,
  RELU,
} from './graph-builder.js';
import { convNormActivation } from './torchvision-blocks.js';
import type {
  ArchitectureName,
  BatchNormConfig,
  NetworkDefinition,
  NetworkOptions,
} from './types.js';

/** Options of the torchvision MobileNetV3 builders. */
export interface MobileNetV3Options extends NetworkOptions {
  /** torchvision's `width_mult`: every width becomes `_make_divisible(c · w, 8)`; 1 by default. */
  readonly widthMultiplier?: number;
  /** Of the `nn.Dropout` before the last Linear; torchvision's 0.2 by default. */
  readonly dropout?: number;
}

/** One `bneck_conf` row: input, kernel, expanded, output, SE, hard-swish, stride. */
type Row = readonly [number, number, number, number, boolean, boolean, number];

// torchvision 0.14 `_mobilenet_v3_conf` (not dilated, no reduced tail).
const SMALL: readonly Row[] = [
  [16, 3, 16, 16, true, false, 2],
  [16, 3, 72, 24, false, false, 2],
  [24, 3, 88, 24, false, false, 1],
  [24, 5, 96, 40, true, true, 2],
  [40, 5, 240, 40, true, true, 1],
  [40, 5, 240, 40, true, true, 1],
  [40, 5, 120, 48, true, true, 1],
  [48, 5, 144, 48, true, true, 1],
  [48, 5, 288, 96, true, true, 2],
  [96, 5, 576, 96, true, true, 1],
  [96, 5, 576, 96, true, true, 1],
];
const LARGE: readonly Row[] = [
  [16, 3, 16, 16, false, false, 1],
  [16, 3, 64, 24, false, false, 2],
  [24, 3, 72, 24, false, false, 1],
  [24, 5, 72, 40, true, false, 2],
  [40, 5, 120, 40, true, false, 1],
  [40, 5, 120, 40, true, false, 1],
  [40, 3, 240, 80, false, true, 2],
  [80, 3, 200, 80, false, true, 1],
  [80, 3, 184, 80, false, true, 1],
  [80, 3, 184, 80, false, true, 1],
  [80, 3, 480, 112, true, true, 1],
  [112, 3, 672, 112, true, true, 1],
  [112, 5, 672, 160, true, true, 2],
  [160, 5, 960, 160, true, true, 1],
  [160, 5, 960, 160, true, true, 1],
];

/** torchvision MobileNetV3 norm layer: BatchNorm2d(eps=0.001, momentum=0.01). */
const MOBILENET_BATCH_NORM: BatchNormConfig = Object.freeze({ eps: 0.001, momentum: 0.01 });

function buildMobileNetV3(
  architecture: ArchitectureName,
  rows: readonly Row[],
  lastChannel: number,
  options: MobileNetV3Options,
): NetworkDefinition {
  const numClasses = checkNumClasses(options.numClasses);
  const w = checkMultiplier(options.widthMultiplier, 'options.widthMultiplier');
  const dropout = options.dropout ?? 0.2;
  const adjust = (c: number) => makeDivisible(c * w, 8);
  const bn = MOBILENET_BATCH_NORM;
  const g = new GraphBuilder(3);
  const first = adjust((rows[0] as Row)[0]);
  let x = convNormActivation(g, g.inputId, 'features.0', {
    inChannels: 3,
    outChannels: first,
    kernel: 3,
    stride: 2,
    batchNorm: bn,
    activation: HARDSWISH,
  });
  rows.forEach(([inRaw, kernel, expRaw, outRaw, useSE, hardswish, stride], index) => {
    const [input, expanded, out] = [adjust(inRaw), adjust(expRaw), adjust(outRaw)];
    const p = `features.${index + 1}.block`;
    const activation = hardswish ? HARDSWISH : RELU;
    let j = 0;
    let y = x;
    if (expanded !== input) {
      y = convNormActivation(g, y, `${p}.${j++}`, {
        inChannels: input,
        outChannels: expanded,
        kernel: 1,
        batchNorm: bn,
        activation,
      });
    }
    y = convNormActivation(g, y, `${p}.${j++}`, {
      inChannels: expanded,
      outChannels: expanded,
      kernel,
      stride,
      groups: expanded,
      batchNorm: bn,
      activation,
    });
    if (useSE) {
      y = g.se(y, `${p}.${j++}`, {
        channels: expanded,
        reducedChannels: resolveReducedChannels(expanded, 'torchvision-mobilenetv3'),
        activation: 'relu',
        gate: 'pytorch-hardsigmoid',
      });
    }
    y = convNormActivation(g, y, `${p}.${j++}`, {
      inChannels: expanded,
      outChannels: out,
      kernel: 1,
      batchNorm: bn,
    });
    x = stride === 1 && input === out ? g.add(y, x, `features.${index + 1}.add`) : y;
  });
  const lastIn = adjust((rows[rows.length - 1] as Row)[3]);
  const lastConv = 6 * lastIn;
  x = convNormActivation(g, x, `features.${rows.length + 1}`, {
    inChannels: lastIn,
    outChannels: lastConv,
    kernel: 1,
    batchNorm: bn,
    activation: HARDSWISH,
  });
  x = g.push('avgpool', [x], { op: 'globalAvgPool' });
  const hidden = adjust(lastChannel);
  x = g.push('classifier.0', [x], {
    op: 'linear',
    module: 'classifier.0',
    inFeatures: lastConv,
    outFeatures: hidden,
    bias: true,
  });
  x = g.activation(x, 'classifier.1', HARDSWISH);
  x = g.push('classifier.2', [x], { op: 'dropout', rate: dropout });
  x = g.push('classifier.3', [x], {
    op: 'linear',
    module: 'classifier.3',
    inFeatures: hidden,
    outFeatures: numClasses,
    bias: true,
  });
  return g.finish(architecture, 'torchvision', numClasses, { widthMultiplier: w, dropout }, x);
}

/**
 * torchvision `mobilenet_v3_small`: SE blocks with ReLU and PyTorch's hard-sigmoid (slope 1/6),
 * reduced width `_make_divisible(expanded // 4, 8)`; BatchNorm eps 0.001, momentum 0.01.
 *
 * @example
 * ```ts
 * const net = mobileNetV3Small({ numClasses: 1000 });
 * ```
 */
export function mobileNetV3Small(options: MobileNetV3Options = {}): NetworkDefinition {
  return buildMobileNetV3('mobilenet_v3_small', SMALL, 1024, options);
}

/**
 * torchvision `mobilenet_v3_large`.
 *
 * @example
 * ```ts
 * const net = mobileNetV3Large({ widthMultiplier: 0.25, numClasses: 10 });
 * ```
 */
export function mobileNetV3Large(options: MobileNetV3Options = {}): NetworkDefinition {
  return buildMobileNetV3('mobilenet_v3_large', LARGE, 1280, options);
}
