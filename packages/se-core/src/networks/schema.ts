import { SESpecError } from '../errors/index.js';
import type { NetworkDefinition, NetworkNode } from './types.js';

/** What kind of parameter or buffer a state_dict tensor is (decides its layout and its role). */
export type TensorRole =
  | 'convWeight'
  | 'convBias'
  | 'bnWeight'
  | 'bnBias'
  | 'bnRunningMean'
  | 'bnRunningVar'
  | 'bnNumBatchesTracked'
  | 'linearWeight'
  | 'linearBias';

/** One tensor of the PyTorch state_dict a network expects. */
export interface StateDictEntry {
  /** The PyTorch name, e.g. `layer1.0.se.fc1.weight`. */
  readonly name: string;
  /** PyTorch's shape (NCHW conventions: conv weights `[out, in / groups, kh, kw]`). */
  readonly shape: readonly number[];
  /** `F32` for parameters and running statistics, `I64` for `num_batches_tracked` (shape `[]`). */
  readonly dtype: 'F32' | 'I64';
  readonly role: TensorRole;
  /** Id of the IR node the tensor belongs to. */
  readonly node: string;
  /** Inputs per output unit of the owning conv/linear (for initialisers); 0 for BatchNorm. */
  readonly fanIn: number;
}

function entriesOf(node: NetworkNode): StateDictEntry[] {
  const f32 = (name: string, shape: number[], role: TensorRole, fanIn = 0): StateDictEntry => ({
    name,
    shape,
    dtype: 'F32',
    role,
    node: node.id,
    fanIn,
  });
  switch (node.op) {
    case 'conv2d': {
      const perGroup = node.inChannels / node.groups;
      const fanIn = perGroup * node.kernel[0] * node.kernel[1];
      const out = [
        f32(
          `${node.module}.weight`,
          [node.outChannels, perGroup, node.kernel[0], node.kernel[1]],
          'convWeight',
          fanIn,
        ),
      ];
      if (node.bias) out.push(f32(`${node.module}.bias`, [node.outChannels], 'convBias', fanIn));
      return out;
    }
    case 'batchNorm': {
      const c = [node.channels];
      return [
        f32(`${node.module}.weight`, c, 'bnWeight'),
        f32(`${node.module}.bias`, c, 'bnBias'),
        f32(`${node.module}.running_mean`, c, 'bnRunningMean'),
        f32(`${node.module}.running_var`, c, 'bnRunningVar'),
        { ...f32(`${node.module}.num_batches_tracked`, [], 'bnNumBatchesTracked'), dtype: 'I64' },
      ];
    }
    case 'se': {
      // The networks built here use timm SEModule / torchvision SqueezeExcitation: kind mlp.
      const { channels: c, excitation } = node.spec;
      if (excitation.kind !== 'mlp') {
        throw new SESpecError(
          `network node ${node.id}.spec.excitation.kind`,
          '"mlp"',
          excitation.kind,
        );
      }
      const { reducedChannels: rd, bias } = excitation;
      const m = node.module;
      return [
        f32(`${m}.fc1.weight`, [rd, c, 1, 1], 'convWeight', c),
        ...(bias ? [f32(`${m}.fc1.bias`, [rd], 'convBias', c)] : []),
        f32(`${m}.fc2.weight`, [c, rd, 1, 1], 'convWeight', rd),
        ...(bias ? [f32(`${m}.fc2.bias`, [c], 'convBias', rd)] : []),
      ];
    }
    case 'linear': {
      const out = [
        f32(
          `${node.module}.weight`,
          [node.outFeatures, node.inFeatures],
          'linearWeight',
          node.inFeatures,
        ),
      ];
      if (node.bias)
        out.push(f32(`${node.module}.bias`, [node.outFeatures], 'linearBias', node.inFeatures));
      return out;
    }
    default:
      return [];
  }
}

/**
 * Every tensor of the network's PyTorch state_dict, in the order PyTorch lists them (module
 * registration order): names, shapes and dtypes, including each BatchNorm's I64
 * `num_batches_tracked`.
 *
 * @example
 * ```ts
 * const schema = stateDictSchema(seResNet50());
 * schema[0]; // { name: 'conv1.weight', shape: [64, 3, 7, 7], dtype: 'F32', role: 'convWeight', … }
 * ```
 */
export function stateDictSchema(network: NetworkDefinition): readonly StateDictEntry[] {
  return network.nodes.flatMap(entriesOf);
}

/** Number of elements of a shape (1 for a scalar `[]`). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
