import {
  type Activation,
  type Gate,
  parseSESpec,
  type ReductionPresetName,
  type ReductionRule,
  resolveReducedChannels,
  type SESpec,
  SESpecError,
  type SqueezeMode,
} from '@seblock/se-core';

/**
 * The spec a {@link SqueezeExcite} layer is built from: a se-core spec in which `channels`
 * may be left out (read from the input at build time), `reducedChannels` may be left out
 * (derived from `rule`), and the remaining fields default to the paper's block (average
 * squeeze, ReLU, sigmoid, biases, gain 1). A hard-sigmoid gate still needs explicit alpha
 * and beta.
 */
export interface SqueezeExciteSpecInput {
  readonly version?: 1;
  readonly channels?: number;
  readonly reducedChannels?: number;
  readonly squeeze?: SqueezeMode;
  readonly activation?: Activation;
  readonly gate?: Gate;
  readonly bias?: boolean;
  readonly gain?: number;
}

/** Hu et al.'s block: the fields a SqueezeExcite layer assumes when they are left out. */
export const PAPER_DEFAULTS = {
  squeeze: 'avg',
  activation: 'relu',
  gate: { type: 'sigmoid' },
  bias: true,
  gain: 1,
} as const;

/** The full spec for `channels`, or an SESpecError naming the field at fault. */
export function resolveSpec(
  input: SqueezeExciteSpecInput,
  rule: ReductionRule | ReductionPresetName | undefined,
  channels: number,
  path = 'spec',
): SESpec {
  if (input === null || typeof input !== 'object') throw new SESpecError(path, 'an object', input);
  let reducedChannels = input.reducedChannels;
  if (rule !== undefined) {
    const fromRule = resolveReducedChannels(channels, rule);
    if (reducedChannels !== undefined && reducedChannels !== fromRule) {
      const name = typeof rule === 'string' ? rule : rule.preset;
      throw new SESpecError(
        `${path}.reducedChannels`,
        `${fromRule} (what rule "${name}" gives for ${channels} channels), or leave it out`,
        reducedChannels,
      );
    }
    reducedChannels = fromRule;
  }
  reducedChannels ??= resolveReducedChannels(channels, 'paper');
  return parseSESpec({ version: 1, ...PAPER_DEFAULTS, ...input, channels, reducedChannels }, path);
}
