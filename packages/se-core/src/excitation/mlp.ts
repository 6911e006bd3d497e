import { pytorchHardSigmoid, sigmoidGate } from '../spec/gates.js';
import { type ReductionRule, resolveReducedChannels } from '../spec/reduction.js';
import { defineExcitationKind } from './define.js';
import type { ImportPreset } from './kind.js';
import { type MlpWeights, type TwoLayerFields, twoLayerKindParts } from './two-layer.js';
import { readTwoLayer, writeTwoLayer } from './two-layer-tensors.js';

/**
 * The squeeze-and-excitation MLP of Hu et al. (SPEC.md, "mlp"):
 * `logits = W2 · act(W1 · d + b1) + b2`. Version-1 specs are this kind.
 */
export interface MlpExcitation extends TwoLayerFields {
  readonly kind: 'mlp';
}

/** A preset that also states its codebase's reduction rule (the importer warns on a mismatch). */
export interface MlpImportPreset extends ImportPreset {
  readonly reduction?: ReductionRule;
}

function mlpPreset(preset: Omit<MlpImportPreset, 'expected'>): MlpImportPreset {
  const { reduction } = preset;
  if (!reduction) return preset;
  return {
    ...preset,
    expected: (channels) => ({ reducedChannels: resolveReducedChannels(channels, reduction) }),
  };
}

const pytorchConv = ['oihw'] as const;
// Keras stores Conv2D kernels HWIO and Dense kernels [in, out]; the rank says which.
const kerasKernel = ['hwio', 'io'] as const;
const names = (fc1: string, fc2: string, weight: string, bias: string) => ({
  fc1Weight: `${fc1}${weight}`,
  fc1Bias: `${fc1}${bias}`,
  fc2Weight: `${fc2}${weight}`,
  fc2Bias: `${fc2}${bias}`,
});

/** The `mlp` kind: today's SE block, tensors `fc1.weight`, `fc1.bias`, `fc2.weight`, `fc2.bias`. */
export const mlpKind = defineExcitationKind<MlpExcitation, MlpExcitation, MlpWeights>()({
  ...twoLayerKindParts('mlp'),
  description: 'SE MLP: W2 · act(W1 · d + b1) + b2 (Hu et al.; timm SEModule, torchvision)',
  squeezeModes: ['avg', 'max', 'avgmax'],
  readTensors: readTwoLayer,
  writeTensors: writeTwoLayer,
  conventions: {
    'fc1-fc2': {
      name: 'fc1-fc2',
      kind: 'mlp',
      description:
        'PyTorch Conv2d 1×1 <prefix>.fc1.* / fc2.* (timm SEModule, torchvision SqueezeExcitation, Cadene se_module)',
      separator: '.',
      tensors: names('fc1', 'fc2', '.weight', '.bias'),
      // Rank 2 is left out on purpose: transformer MLPs are also called fc1/fc2.
      layouts: pytorchConv,
    },
    'fc-sequential': {
      name: 'fc-sequential',
      kind: 'mlp',
      description:
        'PyTorch Linear in nn.Sequential, <prefix>.fc.0.weight / fc.2.weight (moskomule senet.pytorch)',
      separator: '.',
      tensors: names('fc.0', 'fc.2', '.weight', '.bias'),
      layouts: ['oi'],
    },
    'conv-reduce-expand': {
      name: 'conv-reduce-expand',
      kind: 'mlp',
      description:
        'PyTorch Conv2d 1×1 <prefix>.conv_reduce.* / conv_expand.* (timm EfficientNet, MobileNetV3)',
      separator: '.',
      tensors: names('conv_reduce', 'conv_expand', '.weight', '.bias'),
      layouts: pytorchConv,
    },
    'caffe-down-up': {
      name: 'caffe-down-up',
      kind: 'mlp',
      description:
        'official SENet Caffe layers <prefix>_1x1_down / _1x1_up, blobs as .weight / .bias',
      separator: '_',
      tensors: names('1x1_down', '1x1_up', '.weight', '.bias'),
      layouts: pytorchConv,
    },
    'keras-se-reduce-expand': {
      name: 'keras-se-reduce-expand',
      kind: 'mlp',
      description:
        'Keras / TF.js <prefix>_se_reduce/kernel, _se_expand/kernel + /bias (Keras EfficientNet)',
      separator: '_',
      tensors: names('se_reduce', 'se_expand', '/kernel', '/bias'),
      layouts: kerasKernel,
      tfVariableSuffix: true,
    },
    'keras-squeeze-excite': {
      name: 'keras-squeeze-excite',
      kind: 'mlp',
      description:
        'Keras / TF.js <prefix>/squeeze_excite/Conv/kernel, Conv_1/kernel + /bias (Keras MobileNetV3)',
      separator: '/',
      tensors: names('squeeze_excite/Conv', 'squeeze_excite/Conv_1', '/kernel', '/bias'),
      layouts: kerasKernel,
      tfVariableSuffix: true,
    },
  },
  presets: {
    'timm-seresnet': mlpPreset({
      name: 'timm-seresnet',
      description: 'timm SEModule (SE-ResNet, SE-ResNeXt): ReLU, sigmoid',
      convention: 'fc1-fc2',
      activation: 'relu',
      gate: sigmoidGate,
      squeeze: 'avg',
      reduction: { preset: 'timm-se' },
    }),
    'cadene-senet': mlpPreset({
      name: 'cadene-senet',
      description: 'Cadene pretrainedmodels senet.py SEModule: ReLU, sigmoid, C // 16',
      convention: 'fc1-fc2',
      activation: 'relu',
      gate: sigmoidGate,
      squeeze: 'avg',
      reduction: { preset: 'paper' },
    }),
    'caffe-senet': mlpPreset({
      name: 'caffe-senet',
      description: 'official SENet Caffe models: ReLU, sigmoid, C // 16',
      convention: 'caffe-down-up',
      activation: 'relu',
      gate: sigmoidGate,
      squeeze: 'avg',
      reduction: { preset: 'paper' },
    }),
    moskomule: mlpPreset({
      name: 'moskomule',
      description: 'moskomule senet.pytorch SELayer: Linear without bias, ReLU, sigmoid',
      convention: 'fc-sequential',
      activation: 'relu',
      gate: sigmoidGate,
      squeeze: 'avg',
      reduction: { preset: 'paper' },
    }),
    'torchvision-mobilenetv3': mlpPreset({
      name: 'torchvision-mobilenetv3',
      description: 'torchvision MobileNetV3 SqueezeExcitation: ReLU, Hardsigmoid (x / 6 + 1 / 2)',
      convention: 'fc1-fc2',
      activation: 'relu',
      gate: pytorchHardSigmoid,
      squeeze: 'avg',
      reduction: { preset: 'torchvision-mobilenetv3' },
    }),
    // EfficientNet reduces from the block input, which the state_dict does not hold: no rule.
    'torchvision-efficientnet': mlpPreset({
      name: 'torchvision-efficientnet',
      description: 'torchvision EfficientNet SqueezeExcitation: SiLU, sigmoid',
      convention: 'fc1-fc2',
      activation: 'silu',
      gate: sigmoidGate,
      squeeze: 'avg',
    }),
    'timm-efficientnet': mlpPreset({
      name: 'timm-efficientnet',
      description: 'timm EfficientNet SqueezeExcite (conv_reduce / conv_expand): SiLU, sigmoid',
      convention: 'conv-reduce-expand',
      activation: 'silu',
      gate: sigmoidGate,
      squeeze: 'avg',
    }),
    'timm-mobilenetv3': mlpPreset({
      name: 'timm-mobilenetv3',
      description: 'timm MobileNetV3 SqueezeExcite: ReLU, hard_sigmoid (relu6(x + 3) / 6)',
      convention: 'conv-reduce-expand',
      activation: 'relu',
      gate: pytorchHardSigmoid,
      squeeze: 'avg',
    }),
    'keras-efficientnet': mlpPreset({
      name: 'keras-efficientnet',
      description: 'Keras EfficientNet {block}se_reduce / se_expand: swish (SiLU), sigmoid',
      convention: 'keras-se-reduce-expand',
      activation: 'silu',
      gate: sigmoidGate,
      squeeze: 'avg',
    }),
    'keras-mobilenetv3': mlpPreset({
      name: 'keras-mobilenetv3',
      // Keras MobileNetV3 writes its own hard_sigmoid, relu6(x + 3) / 6: slope 1/6,
      // not the 0.2 of the Keras 2 'hard_sigmoid' activation.
      description:
        'Keras MobileNetV3 squeeze_excite/Conv, Conv_1: ReLU, hard_sigmoid (relu6(x + 3) / 6)',
      convention: 'keras-squeeze-excite',
      activation: 'relu',
      gate: pytorchHardSigmoid,
      squeeze: 'avg',
    }),
  },
});
