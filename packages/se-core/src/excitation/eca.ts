import { describeShape, SESpecError } from '../errors/index.js';
import { checkedTensor, type TensorLike } from '../import/tensor-map.js';
import {
  finiteNumber,
  isRecord,
  MAX_CHANNELS,
  oneOf,
  positiveInteger,
  rejectUnknownFields,
} from '../spec/fields.js';
import { sigmoidGate } from '../spec/gates.js';
import type { FloatArray } from '../weights/dtypes.js';
import { defineExcitationKind } from './define.js';
import type {
  ExcitationCost,
  KindReadInput,
  KindReadResult,
  Rounding,
  WeightSlot,
} from './kind.js';

/**
 * ECA-Net (Wang et al., CVPR 2020, arXiv 1910.03151; timm `EcaModule`), SPEC.md
 * "eca": a 1-D convolution across channels, `logits[c] = Σ_j w[j] · d[c + j − (k−1)/2]`,
 * zero outside [0, C), no bias.
 */
export interface EcaExcitation {
  readonly kind: 'eca';
  /** Odd, ≥ 1; the normalised spec always stores the integer. */
  readonly kernelSize: number;
}

/** How a kernel size is derived from the channel count when a spec leaves it out. */
export interface EcaKernelSizeOptions {
  /** `'eca-net'` (the paper, the default) or `'timm'` (which also takes at least 3). */
  readonly rule?: 'eca-net' | 'timm';
  /** 2 unless given. */
  readonly gamma?: number;
  /** 1 unless given. */
  readonly beta?: number;
}

/** The excitation as users may write it: `kernelSize` left out (ECA-Net's adaptive size) or given as options. */
export interface EcaExcitationInput {
  readonly kind: 'eca';
  readonly kernelSize?: number | EcaKernelSizeOptions;
}

/** `convWeight` of shape `[k]`, the Conv1d taps: `w[0]` meets channel `c − (k−1)/2`. */
export type EcaWeights = { readonly convWeight: FloatArray };

/** Guard against absurd sizes in forged files; real ECA kernels are 3 to 9 wide. */
export const MAX_ECA_KERNEL_SIZE = MAX_CHANNELS - 1;

/**
 * The adaptive kernel size of ECA-Net for `channels`: `t = int(|log2(C) + beta| / gamma)`,
 * `k = t` if odd else `t + 1`; rule `'timm'` (timm `EcaModule(channels=C)`) also
 * takes `max(k, 3)`. `log2` is computed as Python's `math.log(C, 2)` is
 * (`ln C / ln 2`), so sizes agree with both codebases at every C.
 *
 * @example
 * ```ts
 * ecaKernelSize(256); // 5
 * ecaKernelSize(16); // 3
 * ecaKernelSize(4, { rule: 'timm' }); // 3 (ECA-Net gives 1)
 * ```
 */
export function ecaKernelSize(
  channels: number,
  options: EcaKernelSizeOptions = {},
  path = 'options',
): number {
  positiveInteger(channels, 'channels');
  // A field given as null is given (and wrong): only undefined takes the default.
  const { rule = 'eca-net', gamma = 2, beta = 1 } = options;
  oneOf(rule, ['eca-net', 'timm'], `${path}.rule`);
  if (finiteNumber(gamma, `${path}.gamma`) <= 0) {
    throw new SESpecError(`${path}.gamma`, 'a number > 0', gamma);
  }
  finiteNumber(beta, `${path}.beta`);
  const t = Math.trunc(Math.abs(Math.log(channels) / Math.log(2) + beta) / gamma);
  const k = t % 2 === 1 ? t : t + 1;
  if (!(k <= MAX_ECA_KERNEL_SIZE)) {
    throw new SESpecError(
      path,
      `gamma and beta giving a kernel size of at most ${MAX_ECA_KERNEL_SIZE}`,
      options,
    );
  }
  return rule === 'timm' ? Math.max(k, 3) : k;
}

/**
 * The `kernelSize` field of an ECA-like excitation (eca, ceca) as users may write it: an odd
 * integer, left out (ECA-Net's adaptive size for `channels`) or `{ rule, gamma, beta }`
 * ({@link ecaKernelSize}); SESpecError naming `path` otherwise.
 *
 * @example
 * ```ts
 * parseEcaKernelSize(undefined, 256, 'spec.excitation.kernelSize'); // 5
 * parseEcaKernelSize({ rule: 'timm' }, 4, 'spec.excitation.kernelSize'); // 3
 * ```
 */
export function parseEcaKernelSize(value: unknown, channels: number, path: string): number {
  if (value === undefined) return ecaKernelSize(channels);
  if (isRecord(value)) {
    rejectUnknownFields(value, ['rule', 'gamma', 'beta'], path);
    return ecaKernelSize(channels, value as EcaKernelSizeOptions, path);
  }
  const k = positiveInteger(value, path, MAX_ECA_KERNEL_SIZE);
  // (k − 1) / 2 taps on each side: an even kernel has no centre.
  if (k % 2 === 0) throw new SESpecError(path, 'an odd integer (the kernel is centred)', k);
  return k;
}

/**
 * The JSON schema of an ECA-like excitation of `kind` (eca, ceca): `kind` and the optional
 * `kernelSize` (an odd integer, or how to derive it from channels).
 *
 * @example
 * ```ts
 * ecaExcitationSchema('eca').properties.kind; // { const: 'eca' }
 * ```
 */
export function ecaExcitationSchema(kind: string) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['kind'],
    properties: {
      kind: { const: kind },
      kernelSize: {
        description:
          "An odd integer, or how to derive it from channels (left out: ECA-Net's adaptive size, gamma 2, beta 1).",
        oneOf: [
          { type: 'integer', minimum: 1, maximum: MAX_ECA_KERNEL_SIZE, not: { multipleOf: 2 } },
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              rule: { enum: ['eca-net', 'timm'] },
              gamma: { type: 'number', exclusiveMinimum: 0 },
              beta: { type: 'number' },
            },
          },
        ],
      },
    },
  } as const;
}

/**
 * What every ECA-like kind (a k-tap 1-D convolution across channels, no bias: eca, and ceca
 * with circular padding) shares with eca, field for field of its kind module: squeeze modes,
 * the one weight `conv.weight` [k] ([1, 1, k] as PyTorch's Conv1d stores it, on read), cost,
 * summary, and reading and writing foreign tensors. A kind spreads it and adds its own
 * `kind`, parsing, logits, schema, conventions and presets.
 *
 * @example
 * ```ts
 * ECA_CONV_PARTS.slots({ kernelSize: 5 })[0]?.tensor; // 'conv.weight'
 * ```
 */
export const ECA_CONV_PARTS = {
  squeezeModes: ['avg', 'max', 'avgmax'],
  weightKeys: ['convWeight'],
  behaviourFields: [],
  slots: (spec: { readonly kernelSize: number }): WeightSlot[] => [
    {
      key: 'convWeight',
      tensor: 'conv.weight',
      shape: [spec.kernelSize],
      readShapes: [[spec.kernelSize], [1, 1, spec.kernelSize]],
      dims: '[kernelSize]',
      present: true,
    },
  ],
  cost: (spec: { readonly kernelSize: number }, c: number): ExcitationCost => ({
    params: spec.kernelSize,
    flops: 2 * c * spec.kernelSize,
  }),
  summary: (spec: { readonly kernelSize: number }): string => `k ${spec.kernelSize}`,
  readTensors: ({
    tensors,
    convention,
    names,
    channels,
  }: KindReadInput): KindReadResult | string | undefined => {
    const name = names.convWeight as string;
    const shape = tensors.get(name)?.shape;
    // Only a Conv1d weight (rank 3) can be one; every Conv2d is also called conv.
    if (!Array.isArray(shape) || shape.length !== 3) return undefined;
    const [out, inChannels, k = 0] = shape;
    if (out !== 1 || inChannels !== 1 || k % 2 === 0) {
      return `${describeShape(shape)}: ${convention.name} stores conv as [1, 1, k], k odd (timm's use_mlp "ecam" variant is not ECA)`;
    }
    const weight = checkedTensor(tensors, name);
    return {
      channels: channels(),
      excitation: { kernelSize: k },
      weights: { convWeight: weight.values.slice() },
      tensors: [name],
    };
  },
  writeTensors: (
    spec: { readonly kernelSize: number },
    weights: EcaWeights,
  ): Readonly<Record<string, TensorLike>> => ({
    convWeight: { shape: [1, 1, spec.kernelSize], values: weights.convWeight.slice() },
  }),
} as const;

/**
 * The logits of an ECA-like kind: `logits[c] = Σ_j w[j] · d[c + j − (k−1)/2]`, taps in order,
 * every operation through `round`; past the channel ends `'zeros'` (eca: those taps add
 * nothing) or `'circular'` (ceca: they meet the channel at the other end; (k − 1)/2 ≤ C).
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * channelConvLogits('circular')({ kernelSize: 3 }, { convWeight: Float32Array.of(1, 0, 0) }, [5, 7], 2, out, (v) => v);
 * out; // Float64Array [7, 5]
 * ```
 */
export function channelConvLogits(padding: 'zeros' | 'circular') {
  return (
    spec: { readonly kernelSize: number },
    weights: EcaWeights,
    d: ArrayLike<number>,
    c: number,
    out: Float64Array,
    round: Rounding,
  ): void => {
    const k = spec.kernelSize;
    const pad = (k - 1) / 2;
    const w = weights.convWeight;
    for (let ch = 0; ch < c; ch++) {
      let z = 0;
      for (let j = 0; j < k; j++) {
        const i = ch + j - pad;
        const inside = i >= 0 && i < c;
        if (!inside && padding === 'zeros') continue;
        const at = inside ? i : i < 0 ? i + c : i - c;
        z = round(z + round(round(w[j] as number) * (d[at] as number)));
      }
      out[ch] = z;
    }
  };
}

/** The `eca` kind: tensor `conv.weight` [k] ([1, 1, k] as PyTorch's Conv1d stores it, on read). */
export const ecaKind = defineExcitationKind<EcaExcitation, EcaExcitationInput, EcaWeights>()({
  kind: 'eca',
  description: 'ECA: a k-tap 1-D convolution across channels, no bias (ECA-Net, timm EcaModule)',
  ...ECA_CONV_PARTS,
  parse: (input, ctx) => {
    const value = input as unknown as Record<string, unknown>;
    rejectUnknownFields(value, ['kind', 'kernelSize'], ctx.path);
    return {
      kind: 'eca',
      kernelSize: parseEcaKernelSize(value.kernelSize, ctx.channels, `${ctx.path}.kernelSize`),
    };
  },
  canonical: (spec) => ({ kind: 'eca', kernelSize: spec.kernelSize }),
  logits: channelConvLogits('zeros'),
  schema: ecaExcitationSchema('eca'),
  conventions: {
    'timm-eca': {
      name: 'timm-eca',
      kind: 'eca',
      description: 'timm EcaModule <prefix>.conv.weight [1, 1, k] (PyTorch Conv1d, no bias)',
      separator: '.',
      tensors: { convWeight: 'conv.weight' },
      layouts: [],
    },
  },
  presets: {
    'timm-eca': {
      name: 'timm-eca',
      description:
        "timm EcaModule in ecaresnet* (<block>.se) and eca_vovnet39b (<block>.attn): sigmoid; C from the block's last norm",
      convention: 'timm-eca',
      gate: sigmoidGate,
      squeeze: 'avg',
      // ResNet Bottleneck: bn3; BasicBlock: bn2; VovNet OsaBlock: conv_concat's norm.
      channelsFrom: ['bn3.weight', 'bn2.weight', 'conv_concat.bn.weight'],
      expected: (channels) => ({ kernelSize: ecaKernelSize(channels, { rule: 'timm' }) }),
    },
    'timm-eca-nfnet': {
      name: 'timm-eca-nfnet',
      description:
        'timm NFNet EcaModule in eca_nfnet_l*, nf_ecaresnet* (<block>.attn_last): sigmoid, attn_gain 2; C from conv3',
      convention: 'timm-eca',
      gate: sigmoidGate,
      squeeze: 'avg',
      gain: 2,
      channelsFrom: ['conv3.weight'],
      expected: (channels) => ({ kernelSize: ecaKernelSize(channels, { rule: 'timm' }) }),
    },
  },
});
