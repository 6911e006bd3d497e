import { SEImportError } from '../errors/index.js';
import { pytorchHardSigmoid, sigmoidGate } from '../spec/gates.js';
import type { ReductionRule } from '../spec/reduction.js';
import type { Activation, Gate, SqueezeMode } from '../spec/types.js';
import type { NamingConventionName } from './conventions.js';

/**
 * What the tensors cannot say about a block: its naming convention, activation,
 * gate and squeeze, as one codebase builds them (SE-REFERENCE.md, "Variants").
 */
export interface ImportPreset {
  readonly name: string;
  readonly description: string;
  readonly convention: NamingConventionName;
  readonly activation: Activation;
  readonly gate: Gate;
  readonly squeeze: SqueezeMode;
  /**
   * The codebase's rule for reducedChannels when its input is the SE block's own
   * width; the importer warns when a block disagrees (often a wrong preset).
   * Absent when the rule depends on a width the state_dict does not hold
   * (EfficientNet reduces from the block input, not the expanded width).
   */
  readonly reduction?: ReductionRule;
}

export const IMPORT_PRESETS = {
  'timm-seresnet': {
    name: 'timm-seresnet',
    description: 'timm SEModule (SE-ResNet, SE-ResNeXt): ReLU, sigmoid',
    convention: 'fc1-fc2',
    activation: 'relu',
    gate: sigmoidGate,
    squeeze: 'avg',
    reduction: { preset: 'timm-se' },
  },
  'cadene-senet': {
    name: 'cadene-senet',
    description: 'Cadene pretrainedmodels senet.py SEModule: ReLU, sigmoid, C // 16',
    convention: 'fc1-fc2',
    activation: 'relu',
    gate: sigmoidGate,
    squeeze: 'avg',
    reduction: { preset: 'paper' },
  },
  'caffe-senet': {
    name: 'caffe-senet',
    description: 'official SENet Caffe models: ReLU, sigmoid, C // 16',
    convention: 'caffe-down-up',
    activation: 'relu',
    gate: sigmoidGate,
    squeeze: 'avg',
    reduction: { preset: 'paper' },
  },
  moskomule: {
    name: 'moskomule',
    description: 'moskomule senet.pytorch SELayer: Linear without bias, ReLU, sigmoid',
    convention: 'fc-sequential',
    activation: 'relu',
    gate: sigmoidGate,
    squeeze: 'avg',
    reduction: { preset: 'paper' },
  },
  'torchvision-mobilenetv3': {
    name: 'torchvision-mobilenetv3',
    description: 'torchvision MobileNetV3 SqueezeExcitation: ReLU, Hardsigmoid (x / 6 + 1 / 2)',
    convention: 'fc1-fc2',
    activation: 'relu',
    gate: pytorchHardSigmoid,
    squeeze: 'avg',
    reduction: { preset: 'torchvision-mobilenetv3' },
  },
  'torchvision-efficientnet': {
    name: 'torchvision-efficientnet',
    description: 'torchvision EfficientNet SqueezeExcitation: SiLU, sigmoid',
    convention: 'fc1-fc2',
    activation: 'silu',
    gate: sigmoidGate,
    squeeze: 'avg',
  },
  'timm-efficientnet': {
    name: 'timm-efficientnet',
    description: 'timm EfficientNet SqueezeExcite (conv_reduce / conv_expand): SiLU, sigmoid',
    convention: 'conv-reduce-expand',
    activation: 'silu',
    gate: sigmoidGate,
    squeeze: 'avg',
  },
  'timm-mobilenetv3': {
    name: 'timm-mobilenetv3',
    description: 'timm MobileNetV3 SqueezeExcite: ReLU, hard_sigmoid (relu6(x + 3) / 6)',
    convention: 'conv-reduce-expand',
    activation: 'relu',
    gate: pytorchHardSigmoid,
    squeeze: 'avg',
  },
  'keras-efficientnet': {
    name: 'keras-efficientnet',
    description: 'Keras EfficientNet {block}se_reduce / se_expand: swish (SiLU), sigmoid',
    convention: 'keras-se-reduce-expand',
    activation: 'silu',
    gate: sigmoidGate,
    squeeze: 'avg',
  },
  'keras-mobilenetv3': {
    name: 'keras-mobilenetv3',
    // Keras MobileNetV3 writes its own hard_sigmoid, relu6(x + 3) / 6: slope 1/6,
    // not the 0.2 of the Keras 2 'hard_sigmoid' activation.
    description:
      'Keras MobileNetV3 squeeze_excite/Conv, Conv_1: ReLU, hard_sigmoid (relu6(x + 3) / 6)',
    convention: 'keras-squeeze-excite',
    activation: 'relu',
    gate: pytorchHardSigmoid,
    squeeze: 'avg',
  },
} as const satisfies Record<string, ImportPreset>;

export type ImportPresetName = keyof typeof IMPORT_PRESETS;
export const IMPORT_PRESET_NAMES = Object.keys(IMPORT_PRESETS) as ImportPresetName[];

/**
 * A preset by name; throws {@link SEImportError} listing the known names.
 *
 * @example
 * ```ts
 * resolveImportPreset('torchvision-mobilenetv3').gate; // { type: 'hardsigmoid', alpha: 1/6, beta: 0.5 }
 * ```
 */
export function resolveImportPreset(name: string, field = 'options.preset'): ImportPreset {
  if (typeof name !== 'string' || !Object.hasOwn(IMPORT_PRESETS, name)) {
    throw new SEImportError(field, `one of ${IMPORT_PRESET_NAMES.join(', ')}`, name);
  }
  return IMPORT_PRESETS[name as ImportPresetName];
}
