import { SEImportError } from '../errors/index.js';
import { layoutRank, WEIGHT_LAYOUTS, type WeightLayout } from './layouts.js';

/**
 * How one codebase names and lays out the two layers of an SE block. A tensor
 * is `<prefix><separator><name>` (just `<name>` for an empty prefix), where the
 * prefix is the module path of the block (`layer1.0.se`, `features.4.block.2`,
 * `block2a`).
 */
export interface NamingConvention {
  readonly name: string;
  readonly description: string;
  /** Between prefix and names: '.' for PyTorch state_dicts, '_' or '/' for Keras. */
  readonly separator: string;
  readonly fc1Weight: string;
  readonly fc1Bias: string;
  readonly fc2Weight: string;
  readonly fc2Bias: string;
  /**
   * Layouts read, told apart by rank (so no two may share a rank); the first
   * is the one written on export.
   */
  readonly layouts: readonly WeightLayout[];
  /** TensorFlow variable names may end in ':0' (Keras h5, checkpoints): accept it on import. */
  readonly tfVariableSuffix?: boolean;
}

const pytorchConv: readonly WeightLayout[] = ['oihw'];
// Keras stores Conv2D kernels HWIO and Dense kernels [in, out]; the rank says which.
const kerasKernel: readonly WeightLayout[] = ['hwio', 'io'];

/** The naming conventions seen in the wild (SE-REFERENCE.md, "Names seen in the wild"). */
export const NAMING_CONVENTIONS = {
  'fc1-fc2': {
    name: 'fc1-fc2',
    description:
      'PyTorch Conv2d 1×1 <prefix>.fc1.* / fc2.* (timm SEModule, torchvision SqueezeExcitation, Cadene se_module)',
    separator: '.',
    fc1Weight: 'fc1.weight',
    fc1Bias: 'fc1.bias',
    fc2Weight: 'fc2.weight',
    fc2Bias: 'fc2.bias',
    // Rank 2 is left out on purpose: transformer MLPs are also called fc1/fc2.
    layouts: pytorchConv,
  },
  'fc-sequential': {
    name: 'fc-sequential',
    description:
      'PyTorch Linear in nn.Sequential, <prefix>.fc.0.weight / fc.2.weight (moskomule senet.pytorch)',
    separator: '.',
    fc1Weight: 'fc.0.weight',
    fc1Bias: 'fc.0.bias',
    fc2Weight: 'fc.2.weight',
    fc2Bias: 'fc.2.bias',
    layouts: ['oi'],
  },
  'conv-reduce-expand': {
    name: 'conv-reduce-expand',
    description:
      'PyTorch Conv2d 1×1 <prefix>.conv_reduce.* / conv_expand.* (timm EfficientNet, MobileNetV3)',
    separator: '.',
    fc1Weight: 'conv_reduce.weight',
    fc1Bias: 'conv_reduce.bias',
    fc2Weight: 'conv_expand.weight',
    fc2Bias: 'conv_expand.bias',
    layouts: pytorchConv,
  },
  'caffe-down-up': {
    name: 'caffe-down-up',
    description:
      'official SENet Caffe layers <prefix>_1x1_down / _1x1_up, blobs as .weight / .bias',
    separator: '_',
    fc1Weight: '1x1_down.weight',
    fc1Bias: '1x1_down.bias',
    fc2Weight: '1x1_up.weight',
    fc2Bias: '1x1_up.bias',
    layouts: pytorchConv,
  },
  'keras-se-reduce-expand': {
    name: 'keras-se-reduce-expand',
    description:
      'Keras / TF.js <prefix>_se_reduce/kernel, _se_expand/kernel + /bias (Keras EfficientNet)',
    separator: '_',
    fc1Weight: 'se_reduce/kernel',
    fc1Bias: 'se_reduce/bias',
    fc2Weight: 'se_expand/kernel',
    fc2Bias: 'se_expand/bias',
    layouts: kerasKernel,
    tfVariableSuffix: true,
  },
  'keras-squeeze-excite': {
    name: 'keras-squeeze-excite',
    description:
      'Keras / TF.js <prefix>/squeeze_excite/Conv/kernel, Conv_1/kernel + /bias (Keras MobileNetV3)',
    separator: '/',
    fc1Weight: 'squeeze_excite/Conv/kernel',
    fc1Bias: 'squeeze_excite/Conv/bias',
    fc2Weight: 'squeeze_excite/Conv_1/kernel',
    fc2Bias: 'squeeze_excite/Conv_1/bias',
    layouts: kerasKernel,
    tfVariableSuffix: true,
  },
} as const satisfies Record<string, NamingConvention>;

export type NamingConventionName = keyof typeof NAMING_CONVENTIONS;
export const NAMING_CONVENTION_NAMES = Object.keys(NAMING_CONVENTIONS) as NamingConventionName[];

const NAME_KEYS = ['name', 'separator', 'fc1Weight', 'fc1Bias', 'fc2Weight', 'fc2Bias'] as const;

/**
 * A built-in convention by name, or a caller's own convention checked for
 * completeness (distinct names, layouts of distinct ranks).
 *
 * @example
 * ```ts
 * resolveNamingConvention('fc-sequential').fc2Weight; // 'fc.2.weight'
 * resolveNamingConvention({ ...NAMING_CONVENTIONS['fc1-fc2'], name: 'linear-fc', layouts: ['oi'] });
 * ```
 */
export function resolveNamingConvention(
  convention: NamingConventionName | NamingConvention,
  field = 'options.convention',
): NamingConvention {
  if (typeof convention === 'string') {
    const found = (NAMING_CONVENTIONS as Record<string, NamingConvention>)[convention];
    if (!found || !Object.hasOwn(NAMING_CONVENTIONS, convention)) {
      throw new SEImportError(field, `one of ${NAMING_CONVENTION_NAMES.join(', ')}`, convention);
    }
    return found;
  }
  if (typeof convention !== 'object' || convention === null) {
    throw new SEImportError(field, 'a convention name or object', convention);
  }
  for (const key of NAME_KEYS) {
    const value = convention[key];
    if (typeof value !== 'string' || (key !== 'separator' && value === '')) {
      throw new SEImportError(`${field}.${key}`, 'a non-empty string', value);
    }
  }
  const names = [
    convention.fc1Weight,
    convention.fc1Bias,
    convention.fc2Weight,
    convention.fc2Bias,
  ];
  if (new Set(names).size !== 4) {
    throw new SEImportError(field, 'four distinct tensor names', names);
  }
  const layouts = convention.layouts;
  if (
    !Array.isArray(layouts) ||
    layouts.length === 0 ||
    !layouts.every((l) => WEIGHT_LAYOUTS.includes(l)) ||
    new Set(layouts.map(layoutRank)).size !== layouts.length
  ) {
    throw new SEImportError(
      `${field}.layouts`,
      `layouts from ${WEIGHT_LAYOUTS.join(', ')} with distinct ranks`,
      layouts,
    );
  }
  return convention;
}

/** The full tensor name of `name` (one of the convention's four) under `prefix`. */
export function conventionTensorName(
  convention: NamingConvention,
  prefix: string,
  name: string,
): string {
  return prefix === '' ? name : `${prefix}${convention.separator}${name}`;
}

/** The prefix when `tensorName` is the convention's `name` under some prefix, else undefined. */
export function prefixOf(
  convention: NamingConvention,
  tensorName: string,
  name: string,
): string | undefined {
  if (tensorName === name) return '';
  const suffix = `${convention.separator}${name}`;
  if (tensorName.length > suffix.length && tensorName.endsWith(suffix)) {
    return tensorName.slice(0, -suffix.length);
  }
  return undefined;
}
