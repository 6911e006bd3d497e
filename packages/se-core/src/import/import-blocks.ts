import { SEImportError, SESpecError } from '../errors/index.js';
import type { KindReadResult } from '../excitation/kind.js';
import {
  type AnyExcitationKind,
  type ExcitationKindName,
  excitationKind,
} from '../excitation/registry.js';
import type { Activation, Gate, SESpec, SqueezeMode } from '../spec/types.js';
import { parseSESpec } from '../spec/validate.js';
import type { SEBlock } from '../weights/types.js';
import { checkBehaviourOptions, EXPORT_METADATA_KEY, parseExportMetadata } from './behaviour.js';
import { blockChannels, checkChannelsOption } from './block-channels.js';
import { behaviourFor, expectedFor } from './block-spec.js';
import {
  conventionsOfKind,
  NAMING_CONVENTION_NAMES,
  NAMING_CONVENTIONS,
  type NamingConvention,
  type NamingConventionName,
  resolveNamingConvention,
} from './conventions.js';
import type { WeightLayout } from './layouts.js';
import { compareNatural } from './natural-order.js';
import { type ImportPreset, type ImportPresetName, resolveImportPreset } from './presets.js';
import { type BlockCandidate, findCandidates, plausibleBlocks } from './read-block.js';
import { conventionTensorName } from './read-tensors.js';
import { readImportInput, type TensorMap } from './tensor-map.js';

/** What the caller knows that the tensors cannot say. Fields given here beat the preset's. */
export interface SEImportOptions {
  /** A codebase's convention + gate + squeeze (+ activation) in one name. */
  readonly preset?: ImportPresetName;
  /** Naming convention (a built-in name or your own); by default the preset's, else every built-in one of `kind`. */
  readonly convention?: NamingConventionName | NamingConvention;
  /** Excitation kind to search for without a preset or convention: 'mlp' unless given. */
  readonly kind?: ExcitationKindName;
  /** For kinds with an activation (mlp, cbam). */
  readonly activation?: Activation;
  readonly gate?: Gate;
  /** The kind's default squeeze unless given ('avg' for mlp, ese, eca; 'avg+max' for cbam). */
  readonly squeeze?: SqueezeMode;
  /** 1 unless given (NFNet uses 2). */
  readonly gain?: number;
  /** For kinds whose weights do not fix the channel count (eca): one count, or one per block prefix. */
  readonly channels?: number | Readonly<Record<string, number>>;
}

/** One imported block, as the summary table shows it. */
export interface ImportedBlockInfo {
  readonly prefix: string;
  readonly convention: string;
  readonly spec: SESpec;
  /** Layout of the first matrix weight in the input (kinds with matrices). */
  readonly layout?: WeightLayout;
  /** Input tensor names that made this block. */
  readonly tensors: readonly string[];
  /** What the preset's codebase builds for `spec.channels`, when it says (e.g. `{ reducedChannels: 8 }`). */
  readonly expected?: Readonly<Record<string, number>>;
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

function conventionsToSearch(
  options: SEImportOptions,
  preset: ImportPreset | undefined,
  storedConvention: string | undefined,
): NamingConvention[] {
  if (options.convention !== undefined) return [resolveNamingConvention(options.convention)];
  if (preset) return [NAMING_CONVENTIONS[preset.convention as NamingConventionName]];
  if (storedConvention !== undefined && Object.hasOwn(NAMING_CONVENTIONS, storedConvention)) {
    return [resolveNamingConvention(storedConvention as NamingConventionName)];
  }
  const kind = options.kind ?? 'mlp';
  excitationKind(kind, 'options.kind');
  return conventionsOfKind(kind);
}

function nothingFound(
  tensors: TensorMap,
  searched: NamingConvention[],
  skipped: SkippedCandidate[],
): SEImportError {
  const examples = searched.map((c) => {
    const anchor = c.tensors[excitationKind(c.kind).weightKeys[0] as string] as string;
    return `"${conventionTensorName(c, '<prefix>', anchor)}" (${c.name})`;
  });
  const others = NAMING_CONVENTION_NAMES.filter(
    (name) =>
      !searched.some((c) => c.name === name) &&
      plausibleBlocks(tensors, NAMING_CONVENTIONS[name]).length > 0,
  );
  // The kind is worth saying only when it is not the one searched for (then --kind or a preset is needed).
  const searchedKinds = new Set(searched.map((c) => c.kind));
  const describeOther = (name: NamingConventionName) => {
    const { kind } = NAMING_CONVENTIONS[name];
    return searchedKinds.has(kind) ? name : `${name} (kind ${kind})`;
  };
  const hint =
    others.length > 0
      ? `; the names fit convention ${others.map(describeOther).join(', ')} instead`
      : '';
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

interface Found {
  readonly candidate: BlockCandidate;
  readonly kind: AnyExcitationKind;
  readonly block: KindReadResult;
}

/**
 * Finds every SE block in a PyTorch state_dict or a Keras / TF.js weight map,
 * converts its weights to the canonical layout, infers what the tensors tell
 * (channels, reducedChannels, bias, kernel size), and takes the rest (gate,
 * squeeze, activation; channels for ECA) from the options or a preset. Other
 * tensors are ignored.
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
  const given = checkBehaviourOptions({ ...options, channels: undefined });
  checkChannelsOption(options.channels);
  const { tensors, metadata } = readImportInput(input);
  const stored = parseExportMetadata(metadata[EXPORT_METADATA_KEY]);
  const searched = conventionsToSearch(options, preset, stored?.convention);

  const found: Found[] = [];
  const skipped: SkippedCandidate[] = [];
  const claimedBy = new Map<string, string>();
  for (const convention of searched) {
    const kind = excitationKind(convention.kind);
    for (const candidate of findCandidates(tensors, convention)) {
      const { prefix, names } = candidate;
      const channels = () =>
        blockChannels(tensors, prefix, convention, {
          given: options.channels,
          stored: stored?.blocks.get(prefix)?.channels,
          preset,
        });
      const block = kind.readTensors({ tensors, prefix, convention, names, channels });
      if (block === undefined) continue;
      if (typeof block === 'string') {
        skipped.push({
          prefix,
          convention: convention.name,
          tensor: candidate.anchor,
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
      found.push({ candidate, kind, block });
    }
  }
  if (found.length === 0) throw nothingFound(tensors, searched, skipped);
  found.sort((a, b) => compareNatural(a.candidate.prefix, b.candidate.prefix));

  const blocks = new Map<string, SEBlock>();
  const infos: ImportedBlockInfo[] = [];
  const warnings: string[] = [];
  for (const { candidate, kind, block } of found) {
    const { prefix } = candidate;
    const first = infos.find((info) => info.prefix === prefix);
    if (first) {
      const conventions = [first.convention, candidate.convention.name];
      throw new SEImportError(
        `tensor ${candidate.anchor}`,
        `one SE block under prefix "${prefix}" (pass options.convention)`,
        conventions,
        `a second one: conventions ${conventions.join(' and ')} both find a block there`,
      );
    }
    const behaviour = behaviourFor(prefix, kind, given, preset, stored?.blocks.get(prefix));
    let spec: SESpec;
    try {
      spec = parseSESpec({
        version: 2,
        channels: block.channels,
        squeeze: behaviour.squeeze ?? kind.squeezeModes[0],
        excitation: { kind: kind.kind, ...block.excitation, ...behaviour.excitation },
        gate: behaviour.gate,
        gain: behaviour.gain,
      });
    } catch (error) {
      // The tensors made a spec se-core refuses (e.g. more than MAX_CHANNELS):
      // name the tensor, keep what the validator expected and received.
      if (!(error instanceof SESpecError)) throw error;
      throw new SEImportError(
        `tensor ${candidate.anchor}`,
        `${error.field} to be ${error.expected}`,
        error.received,
      );
    }
    blocks.set(prefix, { spec, weights: block.weights });
    const { expected, warning } = expectedFor(preset, prefix, spec);
    warnings.push(...(block.warnings ?? []), ...(warning ? [warning] : []));
    infos.push({
      prefix,
      convention: candidate.convention.name,
      spec,
      ...(block.layout === undefined ? {} : { layout: block.layout }),
      tensors: block.tensors,
      ...(expected === undefined ? {} : { expected }),
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
