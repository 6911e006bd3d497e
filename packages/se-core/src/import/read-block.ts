import { SEImportError } from '../errors/index.js';
import type { NamingConvention } from '../excitation/kind.js';
import { excitationKind } from '../excitation/registry.js';
import { conventionTensorName, prefixOf } from './conventions.js';
import type { TensorMap } from './tensor-map.js';

/** The tensors of one would-be SE block, by their names in the input. */
export interface BlockCandidate {
  readonly prefix: string;
  readonly convention: NamingConvention;
  /** Input name of the kind's first weight, which found the candidate. */
  readonly anchor: string;
  /** Input name of each weight of the convention, by weight key; undefined when absent. */
  readonly names: Readonly<Record<string, string | undefined>>;
}

/** Maps the convention's name for a tensor to the input's name (which may carry TF's ':0'). */
function nameLookup(tensors: TensorMap, convention: NamingConvention): Map<string, string> {
  const lookup = new Map<string, string>();
  for (const name of tensors.keys()) {
    const plain = convention.tfVariableSuffix ? name.replace(/:0$/, '') : name;
    const previous = lookup.get(plain);
    if (previous !== undefined && previous !== name) {
      throw new SEImportError(
        `tensor ${name}`,
        `one tensor for the variable "${plain}"`,
        [previous, name],
        `two, which is ambiguous: "${previous}" and "${name}"`,
      );
    }
    lookup.set(plain, name);
  }
  return lookup;
}

/** Every block whose first weight is named as `convention` says (and that has its required weights). */
export function findCandidates(tensors: TensorMap, convention: NamingConvention): BlockCandidate[] {
  const keys = excitationKind(convention.kind, 'convention.kind').weightKeys;
  const anchorKey = keys[0] as string;
  const lookup = nameLookup(tensors, convention);
  const out: BlockCandidate[] = [];
  for (const [plain, original] of lookup) {
    const prefix = prefixOf(convention, plain, convention.tensors[anchorKey] as string);
    if (prefix === undefined) continue;
    const names = Object.fromEntries(
      keys.map((key) => [
        key,
        lookup.get(conventionTensorName(convention, prefix, convention.tensors[key] as string)),
      ]),
    );
    if (convention.requires?.some((key) => names[key] === undefined)) continue;
    out.push({ prefix, convention, anchor: original, names });
  }
  return out;
}

/**
 * The candidates of `convention` that its kind's reader takes for blocks (a
 * dry run: channels the weights do not fix are taken as 1). For hints and
 * `se-core inspect`: a name shared with other layers is not enough. None for a convention used
 * only when named (ceca's names are eca's): names alone never propose it.
 */
export function plausibleBlocks(
  tensors: TensorMap,
  convention: NamingConvention,
): BlockCandidate[] {
  if (convention.onlyWhenNamed === true) return [];
  const kind = excitationKind(convention.kind);
  return findCandidates(tensors, convention).filter(({ prefix, names }) => {
    try {
      const read = kind.readTensors({ tensors, prefix, convention, names, channels: () => 1 });
      return typeof read === 'object';
    } catch {
      return false;
    }
  });
}
