import { makeDivisible, resolveReducedChannels } from '../spec/reduction.js';
import {
  checkMultiplier,
  checkNumClasses,
  GraphBuilder,
  SILU,
  TORCH_BATCH_NORM,
} from './graph-builder.js';
import { convNormActivation } from './torchvision-blocks.js';
import type { NetworkDefinition, NetworkOptions } from './types.js';

/** Options of the torchvision EfficientNet builder. */
export interface EfficientNetOptions extends NetworkOptions {
  /** torchvision's `width_mult` (1.0 for B0): widths become `_make_divisible(c · w, 8)`. */
  readonly widthMultiplier?: number;
  /** Of the `nn.Dropout` before the classifier; 0.2 for B0. */
  readonly dropout?: number;
  /** The largest stochastic-depth rate (the last block's is just below it); 0.2 by default. */
  readonly stochasticDepth?: number;
}

/** One `MBConvConfig` row: expand ratio, kernel, stride, input, output, layers. */
type Row = readonly [number, number, number, number, number, number];

// torchvision 0.14 `_efficientnet_conf('efficientnet_b0')` (depth multiplier 1).
const B0: readonly Row[] = [
  [1, 3, 1, 32, 16, 1],
  [6, 3, 2, 16, 24, 2],
  [6, 5, 2, 24, 40, 2],
  [6, 3, 2, 40, 80, 3],
  [6, 5, 1, 80, 112, 3],
  [6, 5, 2, 112, 192, 4],
  [6, 3, 1, 192, 320, 1],
];

/**
 * torchvision `efficientnet_b0`: MBConv blocks with SiLU, an SE block of width
 * `max(1, blockInput // 4)` (SiLU, sigmoid), stochastic depth on the residual branches, and
 * PyTorch's default BatchNorm (eps 1e-5, momentum 0.1: B0–B7 do not override it, V2 does).
 *
 * @example
 * ```ts
 * const net = efficientNetB0({ numClasses: 1000 });
 * ```
 */
export function efficientNetB0(options: EfficientNetOptions = {}): NetworkDefinition {
  const numClasses = checkNumClasses(options.numClasses);
  const w = checkMultiplier(options.widthMultiplier, 'options.widthMultiplier');
  const dropout = options.dropout ?? 0.2;
  const maxDrop = options.stochasticDepth ?? 0.2;
  const adjust = (c: number, m: number) => makeDivisible(c * m, 8);
  const bn = TORCH_BATCH_NORM;
  const g = new GraphBuilder(3);
  let x = convNormActivation(g, g.inputId, 'features.0', {
    inChannels: 3,
    outChannels: adjust((B0[0] as Row)[3], w),
    kernel: 3,
    stride: 2,
    batchNorm: bn,
    activation: SILU,
  });
  const totalBlocks = B0.reduce((sum, row) => sum + row[5], 0);
  let blockId = 0;
  B0.forEach(([ratio, kernel, stageStride, inRaw, outRaw, layers], stage) => {
    const out = adjust(outRaw, w);
    for (let i = 0; i < layers; i++) {
      const input = i === 0 ? adjust(inRaw, w) : out;
      const stride = i === 0 ? stageStride : 1;
      const expanded = adjust(input, ratio);
      const p = `features.${stage + 1}.${i}`;
      let j = 0;
      let y = x;
      if (expanded !== input) {
        y = convNormActivation(g, y, `${p}.block.${j++}`, {
          inChannels: input,
          outChannels: expanded,
          kernel: 1,
          batchNorm: bn,
          activation: SILU,
        });
      }
      y = convNormActivation(g, y, `${p}.block.${j++}`, {
        inChannels: expanded,
        outChannels: expanded,
        kernel,
        stride,
        groups: expanded,
        batchNorm: bn,
        activation: SILU,
      });
      y = g.se(y, `${p}.block.${j++}`, {
        channels: expanded,
        reducedChannels: resolveReducedChannels(input, 'torchvision-efficientnet'),
        activation: 'silu',
        gate: 'sigmoid',
      });
      y = convNormActivation(g, y, `${p}.block.${j++}`, {
        inChannels: expanded,
        outChannels: out,
        kernel: 1,
        batchNorm: bn,
      });
      if (stride === 1 && input === out) {
        // torchvision: sd_prob = stochastic_depth_prob · block_id / total_blocks.
        const rate = (maxDrop * blockId) / totalBlocks;
        y = g.push(`${p}.stochastic_depth`, [y], { op: 'stochasticDepth', rate, mode: 'row' });
        y = g.add(y, x, `${p}.add`);
      }
      x = y;
      blockId++;
    }
  });
  const lastIn = adjust((B0[B0.length - 1] as Row)[4], w);
  x = convNormActivation(g, x, `features.${B0.length + 1}`, {
    inChannels: lastIn,
    outChannels: 4 * lastIn,
    kernel: 1,
    batchNorm: bn,
    activation: SILU,
  });
  x = g.push('avgpool', [x], { op: 'globalAvgPool' });
  x = g.push('classifier.0', [x], { op: 'dropout', rate: dropout });
  x = g.push('classifier.1', [x], {
    op: 'linear',
    module: 'classifier.1',
    inFeatures: 4 * lastIn,
    outFeatures: numClasses,
    bias: true,
  });
  return g.finish(
    'efficientnet_b0',
    'torchvision',
    numClasses,
    { widthMultiplier: w, dropout, stochasticDepth: maxDrop },
    x,
  );
}
