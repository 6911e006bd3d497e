import { SEImportError, SESpecError } from '../errors/index.js';
import { resolveReducedChannels } from '../spec/reduction.js';
import type { Activation, Gate, SESpec, SqueezeMode } from '../spec/types.js';
import { ACTIVATIONS } from '../spec/types.js';
import { parseSESpec } from '../spec/validate.js';
import type { SEBlock } from '../weights/types.js';
import {
  checkBehaviourOptions,
  EXPORT_METADATA_KEY,
  parseExportMetadata,
  type SEBehaviour,
} from './behaviour.js';
import {
  conventionTensorName,
  NAMING_CONVENTION_NAMES,
  NAMING_CONVENTIONS,
  type NamingConvention,
  type NamingConventionName,
  resolveNamingConvention,
} from './conventions.js';
import type { WeightLayout } from './layouts.js';
import { compareNatural } from './natural-order.js';
import {
  IMPORT_PRESET_NAMES,
  type ImportPreset,
  type ImportPresetName,
  resolveImportPreset,
} from './presets.js';
import {
  type BlockCandidate,
  findCandidates,
  type ReadBlock,
  readCandidate,
} from './read-block.js';
import { readImportInput, type TensorMap } from './tensor-map.js';

/** What the caller knows that the tensors cannot say. Fields given here beat the preset's. */
export interface SEImportOptions {
  /** A codebase's convention + activation + gate + squeeze in one name. */
  readonly preset?: ImportPresetName;
  /** Naming convention (a built-in name or your own); by default the preset's, else every built-in one. */
  readonly convention?: NamingConventionName | NamingConvention;
  readonly activation?: Activation;
  readonly gate?: Gate;
  /** 'avg' unless given (every known codebase but timm's `add_maxpool`). */
  readonly squeeze?: SqueezeMode;
  /** 1 unless given (NFNet uses 2). */
  readonly gain?: number;
}

/** One imported block, as the summary table shows it. */
export interface ImportedBlockInfo {
  readonly prefix: string;
  readonly convention: string;
  readonly spec: SESpec;
  /** Layout of the fc1 weight in the input. */
  readonly layout: WeightLayout;
  /** Input tensor names that made this block. */
  readonly tensors: readonly string[];
  /** What the preset's reduction rule gives for `spec.channels`, when it has one. */
  readonly expectedReducedChannels?: number;
}

/** Tensors named like an SE block that are not one (e.g. a transformer MLP's fc1). */
export interface SkippedCandidate {
  readonly prefix: string;
  readonly convention: string;
  readonly tensor: string;
  readonly reason: string;
}

export interface SEImportReport {
  readonly preset?: ImportPresetName;
  /** Conventions searched. */
  readonly conventions: readonly string[];
  /** In natural module order. */
  readonly blocks: readonly ImportedBlockInfo[];
  readonly skipped: readonly SkippedCandidate[];
  /** Input tensors that belong to no imported block. */
  readonly ignoredTensors: readonly string[];
  readonly warnings: readonly string[];
}

export interface SEImportResult {
  /** Block prefix → block, in natural module order. */
  readonly blocks: Map<string, SEBlock>;
  readonly report: SEImportReport;
}

function describeBehaviourSource(): string {
  return `pass options.preset (one of ${IMPORT_PRESET_NAMES.join(', ')}) or options.activation and options.gate`;
}

function behaviourFor(
  prefix: string,
  options: Partial<SEBehaviour>,
  preset: ImportPreset | undefined,
  stored: Partial<SEBehaviour> | undefined,
): SEBehaviour {
  const merged = {
    ...stored,
    ...(preset && { activation: preset.activation, gate: preset.gate, squeeze: preset.squeeze }),
    ...options,
  };
  if (merged.activation === undefined) {
    throw new SEImportError(
      'options.activation',
      `one of ${ACTIVATIONS.join(', ')} for block "${prefix}" (${describeBehaviourSource()})`,
      undefined,
      'nothing: the weights do not record the activation',
    );
  }
  if (merged.gate === undefined) {
    throw new SEImportError(
      'options.gate',
      `a gate for block "${prefix}", e.g. { type: 'sigmoid' } (${describeBehaviourSource()})`,
      undefined,
      'nothing: the weights do not record the gate',
    );
  }
  return {
    activation: merged.activation,
    gate: merged.gate,
    squeeze: merged.squeeze ?? 'avg',
    gain: merged.gain ?? 1,
  };
}

function conventionsToSearch(
  options: SEImportOptions,
  preset: ImportPreset | undefined,
  storedConvention: string | undefined,
): NamingConvention[] {
  if (options.convention !== undefined) return [resolveNamingConvention(options.convention)];
  if (preset) return [NAMING_CONVENTIONS[preset.convention]];
  if (storedConvention !== undefined && Object.hasOwn(NAMING_CONVENTIONS, storedConvention)) {
    return [resolveNamingConvention(storedConvention as NamingConventionName)];
  }
  return NAMING_CONVENTION_NAMES.map((name) => NAMING_CONVENTIONS[name]);
}

function nothingFound(
  tensors: TensorMap,
  searched: NamingConvention[],
  skipped: SkippedCandidate[],
): SEImportError {
  const examples = searched.map(
    (c) => `"${conventionTensorName(c, '<prefix>', c.fc1Weight)}" (${c.name})`,
  );
  const others = NAMING_CONVENTION_NAMES.filter(
    (name) =>
      !searched.some((c) => c.name === name) &&
      findCandidates(tensors, NAMING_CONVENTIONS[name]).length > 0,
  );
  const hint = others.length > 0 ? `; the names fit convention ${others.join(', ')} instead` : '';
  const skips =
    skipped.length > 0
      ? `; skipped ${skipped.length} look-alike(s), e.g. ${skipped[0]?.tensor}: ${skipped[0]?.reason}`
      : '';
  return new SEImportError(
    'tensors',
    `SE tensors named like ${examples.join(' or ')}`,
    [...tensors.keys()],
    `none among ${tensors.size} tensors${skips}${hint}`,
  );
}

function reductionWarning(
  preset: ImportPreset | undefined,
  prefix: string,
  spec: SESpec,
): { expected?: number; warning?: string } {
  if (!preset?.reduction) return {};
  let expected: number;
  try {
    expected = resolveReducedChannels(spec.channels, preset.reduction);
  } catch {
    return {};
  }
  if (expected === spec.reducedChannels) return { expected };
  return {
    expected,
    warning: `block "${prefix}": reducedChannels ${spec.reducedChannels}, but ${preset.name} builds ${expected} for ${spec.channels} channels (a different reduction ratio, or the wrong preset?)`,
  };
}

/**
 * Finds every SE block in a PyTorch state_dict or a Keras / TF.js weight map,
 * converts its weights to the canonical layout, infers channels,
 * reducedChannels and bias from the tensors, and takes activation, gate and
 * squeeze from the options or a preset. Other tensors are ignored.
 *
 * Throws {@link SEImportError} naming the tensor, what was expected and what
 * was received when a block's tensors disagree (fc2 shape, a missing fc2 or
 * bias), when no block is found, or for an unknown preset/convention.
 *
 * @example
 * ```ts
 * const bytes = readFileSync('mobilenet_v3_small.safetensors');
 * const { blocks, report } = importSEBlocks(bytes, { preset: 'torchvision-mobilenetv3' });
 * const se = blocks.get('features.1.block.1');   // { spec, weights }
 * const y = seReference(se.spec, se.weights, x, [1, se.spec.channels, 56, 56]);
 * ```
 */
export function importSEBlocks(
  input: TensorMap | Uint8Array,
  options: SEImportOptions = {},
): SEImportResult {
  const preset = options.preset === undefined ? undefined : resolveImportPreset(options.preset);
  const given = checkBehaviourOptions(options);
  const { tensors, metadata } = readImportInput(input);
  const stored = parseExportMetadata(metadata[EXPORT_METADATA_KEY]);
  const searched = conventionsToSearch(options, preset, stored?.convention);

  const found: { candidate: BlockCandidate; block: ReadBlock }[] = [];
  const skipped: SkippedCandidate[] = [];
  const claimedBy = new Map<string, string>();
  for (const convention of searched) {
    for (const candidate of findCandidates(tensors, convention)) {
      const block = readCandidate(tensors, candidate);
      if (typeof block === 'string') {
        skipped.push({
          prefix: candidate.prefix,
          convention: convention.name,
          tensor: candidate.fc1Weight,
          reason: block,
        });
        continue;
      }
      for (const name of block.tensors) {
        const other = claimedBy.get(name);
        if (other !== undefined) {
          throw new SEImportError(
            `tensor ${name}`,
            'a tensor of one naming convention (pass options.convention)',
            [other, convention.name],
            `one claimed by two conventions, ${other} and ${convention.name}`,
          );
        }
        claimedBy.set(name, convention.name);
      }
      found.push({ candidate, block });
    }
  }
  if (found.length === 0) throw nothingFound(tensors, searched, skipped);
  found.sort((a, b) => compareNatural(a.candidate.prefix, b.candidate.prefix));

  const blocks = new Map<string, SEBlock>();
  const infos: ImportedBlockInfo[] = [];
  const warnings: string[] = [];
  for (const { candidate, block } of found) {
    const { prefix } = candidate;
    const first = infos.find((info) => info.prefix === prefix);
    if (first) {
      const conventions = [first.convention, candidate.convention.name];
      throw new SEImportError(
        `tensor ${candidate.fc1Weight}`,
        `one SE block under prefix "${prefix}" (pass options.convention)`,
        conventions,
        `a second one: conventions ${conventions.join(' and ')} both find a block there`,
      );
    }
    const behaviour = behaviourFor(prefix, given, preset, stored?.blocks.get(prefix));
    let spec: SESpec;
    try {
      spec = parseSESpec({
        version: 1,
        channels: block.channels,
        reducedChannels: block.reducedChannels,
        bias: block.bias,
        ...behaviour,
      });
    } catch (error) {
      // The tensors made a spec se-core refuses (e.g. more than MAX_CHANNELS):
      // name the tensor, keep what the validator expected and received.
      if (!(error instanceof SESpecError)) throw error;
      throw new SEImportError(
        `tensor ${candidate.fc1Weight}`,
        `${error.field} to be ${error.expected}`,
        error.received,
      );
    }
    blocks.set(prefix, { spec, weights: block.weights });
    const { expected, warning } = reductionWarning(preset, prefix, spec);
    if (warning) warnings.push(warning);
    infos.push({
      prefix,
      convention: candidate.convention.name,
      spec,
      layout: block.layout,
      tensors: block.tensors,
      ...(expected === undefined ? {} : { expectedReducedChannels: expected }),
    });
  }
  const ignoredTensors = [...tensors.keys()]
    .filter((name) => !claimedBy.has(name))
    .sort(compareNatural);
  return {
    blocks,
    report: {
      ...(preset ? { preset: preset.name as ImportPresetName } : {}),
      conventions: searched.map((c) => c.name),
      blocks: infos,
      skipped,
      ignoredTensors,
      warnings,
    },
  };
}
