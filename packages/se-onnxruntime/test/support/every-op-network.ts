// A small hand-made network that uses every op and field of se-core's network IR the seven
// fixture networks leave out: non-square kernels, uneven padding, dilation, conv bias, grouped
// and depthwise convs, padded max pooling, relu6 / sigmoid / GELU / hard-sigmoid activations,
// SE blocks with avg+max squeeze, GELU and relu6 inside, a 0.2-slope hard-sigmoid gate, gain 2
// and no bias, a Linear without bias.
import { defineSESpec } from '@seblock/se-core';
import {
  type ArchitectureName,
  GraphBuilder,
  type NetworkDefinition,
  seededFloats,
  seededStateDict,
} from '../../../se-core/src/networks/index.js';

export const EVERY_OP_CLASSES = 5;

export function everyOpNetwork(): NetworkDefinition {
  const g = new GraphBuilder(3);
  let x = g.push('stem', [g.inputId], {
    op: 'conv2d',
    module: 'stem',
    inChannels: 3,
    outChannels: 8,
    kernel: [3, 2],
    stride: [2, 1],
    padding: [1, 0, 1, 1],
    dilation: [1, 2],
    groups: 1,
    bias: true,
  });
  x = g.batchNorm(x, 'stem_bn', 8, { eps: 1e-3, momentum: 0.1 });
  x = g.activation(x, 'stem_act', { kind: 'relu6' });
  x = g.push('pool', [x], { op: 'maxPool', kernel: [3, 3], stride: [2, 2], padding: [1, 1, 0, 1] });
  x = g.conv(x, 'grouped', { inChannels: 8, outChannels: 12, kernel: 3, groups: 4 });
  x = g.batchNorm(x, 'grouped_bn', 12, { eps: 1e-5, momentum: 0.1 });
  x = g.activation(x, 'grouped_act', { kind: 'gelu' });
  const se1 = g.push('se1', [x], {
    op: 'se',
    module: 'se1',
    spec: defineSESpec({
      version: 1,
      channels: 12,
      reducedChannels: 5,
      squeeze: 'avgmax',
      activation: 'relu6',
      gate: { type: 'hardsigmoid', alpha: 0.2, beta: 0.5 },
      bias: true,
      gain: 2,
    }),
  });
  x = g.conv(se1, 'dw', { inChannels: 12, outChannels: 12, kernel: 3, groups: 12, dilation: 2 });
  x = g.activation(x, 'dw_act', { kind: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 });
  x = g.add(x, se1, 'add');
  x = g.activation(x, 'add_act', { kind: 'sigmoid' });
  x = g.push('se2', [x], {
    op: 'se',
    module: 'se2',
    spec: defineSESpec({
      version: 1,
      channels: 12,
      reducedChannels: 3,
      squeeze: 'max',
      activation: 'gelu',
      gate: { type: 'sigmoid' },
      bias: false,
    }),
  });
  x = g.activation(x, 'silu', { kind: 'silu' });
  x = g.push('drop_path', [x], { op: 'stochasticDepth', rate: 0.1, mode: 'row' });
  x = g.activation(x, 'hardswish', { kind: 'hardswish' });
  x = g.push('pooled', [x], { op: 'globalAvgPool' });
  x = g.push('dropout', [x], { op: 'dropout', rate: 0.5 });
  x = g.push('fc1', [x], {
    op: 'linear',
    module: 'fc1',
    inFeatures: 12,
    outFeatures: 7,
    bias: false,
  });
  x = g.activation(x, 'fc1_act', { kind: 'relu' });
  x = g.push('fc2', [x], {
    op: 'linear',
    module: 'fc2',
    inFeatures: 7,
    outFeatures: EVERY_OP_CLASSES,
    bias: true,
  });
  // The IR names only se-core's architectures; this one borrows a name for its metadata.
  return g.finish('resnet50' as ArchitectureName, 'timm', EVERY_OP_CLASSES, {}, x);
}

export const EVERY_OP_SHAPE = [2, 3, 23, 19] as const;
export const EVERY_OP_SEED = 11;

/** Seeded weights and image (se-core's seeded scheme). */
export function everyOpCase() {
  const network = everyOpNetwork();
  const weights = seededStateDict(network, EVERY_OP_SEED);
  const floats = new Map(
    [...weights].filter((e): e is [string, Float32Array] => e[1] instanceof Float32Array),
  );
  const x = seededFloats(
    EVERY_OP_SEED,
    'input',
    EVERY_OP_SHAPE.reduce((a, b) => a * b, 1),
    0,
    2,
  );
  return { network, weights, floats, x };
}
