import { SESpecError } from '../errors/index.js';
import { resolveReducedChannels } from '../spec/reduction.js';
import {
  checkMultiplier,
  checkNumClasses,
  GraphBuilder,
  RELU,
  TORCH_BATCH_NORM,
} from './graph-builder.js';
import type { ArchitectureName, NetworkDefinition, NetworkOptions } from './types.js';

/** Options of the timm ResNet family builders. */
export interface ResNetOptions extends NetworkOptions {
  /**
   * Multiplies every width (stem 64, stages 64/128/256/512 planes); `64 · width` must be an
   * integer. 1 is the published network; tests build e.g. `1 / 32` with the same structure.
   */
  readonly width?: number;
}

/** Options of SE-ResNeXt: also the grouping of the 3×3 convolutions. */
export interface ResNeXtOptions extends ResNetOptions {
  /** Groups of each bottleneck's 3×3 convolution; 32 by default. */
  readonly cardinality?: number;
  /** Channels per group per 64 planes; 4 by default (the "4d" of 32×4d). */
  readonly baseWidth?: number;
}

interface ResNetConfig {
  readonly architecture: ArchitectureName;
  readonly blocks: readonly [number, number, number, number];
  readonly se: boolean;
  readonly cardinality: number;
  readonly baseWidth: number;
}

const BOTTLENECK_EXPANSION = 4;
const STAGE_PLANES = [64, 128, 256, 512] as const;

function scaled(channels: number, width: number, field: string): number {
  const value = channels * width;
  if (!Number.isInteger(value) || value < 1) {
    throw new SESpecError(
      field,
      `a multiplier that makes ${channels}·width a whole number ≥ 1`,
      width,
    );
  }
  return value;
}

function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) throw new SESpecError(field, 'an integer >= 1', value);
  return value;
}

/**
 * timm's `ResNet` with `Bottleneck` blocks and the default stem (7×7 conv, max pool), module
 * names as in timm so a timm state_dict loads by name: `conv1`, `bn1`, `layer{1-4}.{i}.conv1…bn3`,
 * `.se.fc1/.fc2`, `.downsample.0/.1`, `fc`. The stride of a stage sits on the 3×3 conv.
 */
function buildResNet(config: ResNetConfig, options: ResNeXtOptions): NetworkDefinition {
  const numClasses = checkNumClasses(options.numClasses);
  const width = checkMultiplier(options.width, 'options.width');
  const g = new GraphBuilder(3);
  const stem = scaled(64, width, 'options.width');
  let x = g.conv(g.inputId, 'conv1', { inChannels: 3, outChannels: stem, kernel: 7, stride: 2 });
  x = g.batchNorm(x, 'bn1', stem, TORCH_BATCH_NORM);
  x = g.activation(x, 'act1', RELU);
  x = g.push('maxpool', [x], {
    op: 'maxPool',
    kernel: [3, 3],
    stride: [2, 2],
    padding: [1, 1, 1, 1],
  });
  let inChannels = stem;
  config.blocks.forEach((count, stage) => {
    const planes = scaled(STAGE_PLANES[stage] as number, width, 'options.width');
    // timm: width = floor(planes · base_width / 64) · cardinality.
    const groupWidth = Math.floor((planes * config.baseWidth) / 64);
    if (groupWidth < 1) {
      throw new SESpecError(
        'options.baseWidth',
        `at least ${Math.ceil(64 / planes)} so that stage ${stage + 1} (${planes} planes) has a channel per group`,
        config.baseWidth,
      );
    }
    const midChannels = groupWidth * config.cardinality;
    const outChannels = planes * BOTTLENECK_EXPANSION;
    for (let i = 0; i < count; i++) {
      const p = `layer${stage + 1}.${i}`;
      const stride = i === 0 && stage > 0 ? 2 : 1;
      const shortcutIn = x;
      let y = g.conv(x, `${p}.conv1`, { inChannels, outChannels: midChannels, kernel: 1 });
      y = g.batchNorm(y, `${p}.bn1`, midChannels, TORCH_BATCH_NORM);
      y = g.activation(y, `${p}.act1`, RELU);
      y = g.conv(y, `${p}.conv2`, {
        inChannels: midChannels,
        outChannels: midChannels,
        kernel: 3,
        stride,
        groups: config.cardinality,
      });
      y = g.batchNorm(y, `${p}.bn2`, midChannels, TORCH_BATCH_NORM);
      y = g.activation(y, `${p}.act2`, RELU);
      y = g.conv(y, `${p}.conv3`, { inChannels: midChannels, outChannels, kernel: 1 });
      y = g.batchNorm(y, `${p}.bn3`, outChannels, TORCH_BATCH_NORM);
      if (config.se) {
        y = g.se(y, `${p}.se`, {
          channels: outChannels,
          reducedChannels: resolveReducedChannels(outChannels, 'timm-se'),
          activation: 'relu',
          gate: 'sigmoid',
        });
      }
      let shortcut = shortcutIn;
      if (i === 0 && (stride !== 1 || inChannels !== outChannels)) {
        shortcut = g.conv(shortcutIn, `${p}.downsample.0`, {
          inChannels,
          outChannels,
          kernel: 1,
          stride,
        });
        shortcut = g.batchNorm(shortcut, `${p}.downsample.1`, outChannels, TORCH_BATCH_NORM);
      }
      y = g.add(y, shortcut, `${p}.add`);
      x = g.activation(y, `${p}.act3`, RELU);
      inChannels = outChannels;
    }
  });
  x = g.push('global_pool', [x], { op: 'globalAvgPool' });
  x = g.push('fc', [x], {
    op: 'linear',
    module: 'fc',
    inFeatures: inChannels,
    outFeatures: numClasses,
    bias: true,
  });
  const recorded: Record<string, number> = { width };
  if (config.cardinality !== 1) {
    recorded.cardinality = config.cardinality;
    recorded.baseWidth = config.baseWidth;
  }
  return g.finish(config.architecture, 'timm', numClasses, recorded, x);
}

/**
 * timm `seresnet50`: ResNet-50 with an SE block (timm `SEModule`: reduced width
 * `make_divisible(C/16, 8, round_limit=0)`, ReLU, sigmoid) after each bottleneck's last BN.
 *
 * @example
 * ```ts
 * const net = seResNet50({ numClasses: 1000 });
 * stateDictSchema(net).length; // 384 tensors, as in timm's state_dict
 * ```
 */
export function seResNet50(options: ResNetOptions = {}): NetworkDefinition {
  return buildResNet(
    { architecture: 'seresnet50', blocks: [3, 4, 6, 3], se: true, cardinality: 1, baseWidth: 64 },
    options,
  );
}

/**
 * timm `seresnet101`: blocks 3, 4, 23, 3.
 *
 * @example
 * ```ts
 * const net = seResNet101({ numClasses: 10, width: 1 / 32 });
 * ```
 */
export function seResNet101(options: ResNetOptions = {}): NetworkDefinition {
  return buildResNet(
    { architecture: 'seresnet101', blocks: [3, 4, 23, 3], se: true, cardinality: 1, baseWidth: 64 },
    options,
  );
}

/**
 * timm `resnet50`: the plain twin of {@link seResNet50} (same names without `.se`).
 *
 * @example
 * ```ts
 * const net = resNet50();
 * ```
 */
export function resNet50(options: ResNetOptions = {}): NetworkDefinition {
  return buildResNet(
    { architecture: 'resnet50', blocks: [3, 4, 6, 3], se: false, cardinality: 1, baseWidth: 64 },
    options,
  );
}

/**
 * timm `seresnext50_32x4d`: SE-ResNet-50 with grouped 3×3 convolutions (32 groups, 4 channels
 * per group per 64 planes).
 *
 * @example
 * ```ts
 * const net = seResNeXt50_32x4d();
 * // a small twin for tests: 4 groups, so stage 1 is depthwise and later stages grouped
 * const small = seResNeXt50_32x4d({ width: 1 / 32, cardinality: 4, baseWidth: 32, numClasses: 10 });
 * ```
 */
export function seResNeXt50_32x4d(options: ResNeXtOptions = {}): NetworkDefinition {
  return buildResNet(
    {
      architecture: 'seresnext50_32x4d',
      blocks: [3, 4, 6, 3],
      se: true,
      cardinality: positiveInteger(options.cardinality ?? 32, 'options.cardinality'),
      baseWidth: positiveInteger(options.baseWidth ?? 4, 'options.baseWidth'),
    },
    options,
  );
}
