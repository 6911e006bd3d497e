import {
  type Activation,
  type ExcitationInputOf,
  type ExcitationKindName,
  excitationKind,
  type Gate,
  kindOfSpec,
  parseSESpec,
  type ReductionPresetName,
  type ReductionRule,
  type SESpec,
  SESpecError,
  type SqueezeMode,
  sigmoidGate,
} from '@seblock/se-core';
import { tfjsKind } from '../excitation/registry.js';

/**
 * An excitation as the layer accepts it: any field may be left out (filled by the kind's
 * layer defaults: mlp ReLU with biases, cbam ReLU without, ese with bias; reducedChannels
 * from the layer's `rule`); no `kind` means `mlp`.
 */
export type SqueezeExciteExcitationInput =
  | {
      [K in ExcitationKindName]: { readonly kind: K } & Partial<Omit<ExcitationInputOf<K>, 'kind'>>;
    }[ExcitationKindName]
  | ({ readonly kind?: undefined } & Partial<Omit<ExcitationInputOf<'mlp'>, 'kind'>>);

/** A version-2 spec in which every field may be left out (see {@link SqueezeExciteSpecInput}). */
export interface SqueezeExciteSpecV2Input {
  readonly version?: 2;
  readonly channels?: number;
  readonly squeeze?: SqueezeMode;
  readonly excitation?: SqueezeExciteExcitationInput;
  readonly gate?: Gate;
  readonly gain?: number;
}

/** A version-1 spec (the SE MLP, flat fields) in which every field may be left out. */
export interface SqueezeExciteSpecV1Input {
  readonly version?: 1;
  readonly channels?: number;
  readonly reducedChannels?: number;
  readonly squeeze?: 'avg' | 'max' | 'avgmax';
  readonly activation?: Activation;
  readonly gate?: Gate;
  readonly bias?: boolean;
  readonly gain?: number;
}

/**
 * The spec a {@link SqueezeExcite} layer is built from: a se-core spec (version 2, or the
 * version 1 that earlier releases saved) in which `channels` may be left out (read from the
 * input at build time) and everything else defaults: the squeeze to the kind's first, the
 * gate to sigmoid, gain to 1, the excitation to the kind's layer defaults (the paper's SE MLP
 * when there is no excitation at all). A hard-sigmoid gate still needs explicit alpha and beta.
 */
export type SqueezeExciteSpecInput = SqueezeExciteSpecV2Input | SqueezeExciteSpecV1Input;

/** Hu et al.'s block: what a SqueezeExcite layer assumes for fields left out. */
export const PAPER_DEFAULTS = {
  squeeze: 'avg',
  excitation: { kind: 'mlp', activation: 'relu', bias: true },
  gate: { type: 'sigmoid' },
  gain: 1,
} as const;

/**
 * The most parameters one SqueezeExcite layer may have: 2^26 (256 MiB of float32), 32× the
 * largest SE of the networks we know (an ese at C = 2048 has 4.2M). A model.json naming a
 * larger layer is refused before TF.js allocates its weights (1M channels would be gigabytes).
 */
export const MAX_SE_LAYER_PARAMS = 2 ** 26;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields of `record` that are not undefined. */
function defined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

function checkSize(spec: SESpec, path: string): SESpec {
  const kind = kindOfSpec(spec);
  const { params } = kind.cost(spec.excitation, spec.channels);
  if (params > MAX_SE_LAYER_PARAMS) {
    throw new SESpecError(
      `${path}.channels`,
      `a layer of at most ${MAX_SE_LAYER_PARAMS} parameters (MAX_SE_LAYER_PARAMS)`,
      `${spec.channels} channels with excitation ${spec.excitation.kind} (${kind.summary(spec.excitation)}): ${params} parameters`,
    );
  }
  return spec;
}

/**
 * The full spec for `channels`, or an SESpecError naming the field at fault (also for a layer
 * over {@link MAX_SE_LAYER_PARAMS}), before anything is allocated.
 */
export function resolveSpec(
  input: SqueezeExciteSpecInput,
  rule: ReductionRule | ReductionPresetName | undefined,
  channels: number,
  path = 'spec',
  rulePath = 'rule',
): SESpec {
  if (!isRecord(input)) throw new SESpecError(path, 'an object', input);
  const { version, excitation, ...rest } = input as Record<string, unknown>;
  if (version !== undefined && version !== 1 && version !== 2) {
    throw new SESpecError(`${path}.version`, '1 or 2, or left out', version);
  }
  if (version === 1 || (version === undefined && excitation === undefined)) {
    // Version 1 is the SE MLP with flat fields (what earlier releases saved in model.json).
    const { reducedChannels, activation, bias, ...top } = rest;
    const filled = tfjsKind('mlp').layerExcitation(defined({ reducedChannels, activation, bias }), {
      channels,
      rule,
      path,
      rulePath,
    });
    const { kind: _kind, ...fields } = filled;
    const v1 = { version: 1, squeeze: 'avg', gate: sigmoidGate, ...top, ...fields, channels };
    return checkSize(parseSESpec(v1, path), path);
  }
  const excitationPath = `${path}.excitation`;
  const given = excitation ?? {};
  if (!isRecord(given)) throw new SESpecError(excitationPath, 'an object', given);
  const name = excitationKind(given.kind ?? 'mlp', `${excitationPath}.kind`).kind;
  const filled = tfjsKind(name).layerExcitation(given, {
    channels,
    rule,
    path: excitationPath,
    rulePath,
  });
  const v2 = { gate: sigmoidGate, ...rest, version: 2, channels, excitation: filled };
  return checkSize(parseSESpec(v2, path), path);
}
