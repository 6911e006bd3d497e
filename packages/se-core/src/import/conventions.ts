import { SEImportError } from '../errors/index.js';
import type { NamingConvention } from '../excitation/kind.js';
import {
  EXCITATION_KIND_NAMES,
  EXCITATION_KINDS,
  type ExcitationKindName,
  excitationKind,
} from '../excitation/registry.js';
import { layoutRank, WEIGHT_LAYOUTS } from './layouts.js';

export { conventionTensorName } from './read-tensors.js';
export type { NamingConvention };

/** The name of a built-in naming convention of any kind. */
export type NamingConventionName = {
  [K in ExcitationKindName]: keyof (typeof EXCITATION_KINDS)[K]['conventions'] & string;
}[ExcitationKindName];

function collect<T extends { readonly name: string }>(
  pick: (kind: ExcitationKindName) => Readonly<Record<string, T>>,
  what: string,
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const kind of EXCITATION_KIND_NAMES) {
    for (const [name, value] of Object.entries(pick(kind))) {
      // Names are global (a file records only the name): two kinds may not share one.
      if (Object.hasOwn(out, name))
        throw new Error(`two excitation kinds define ${what} "${name}"`);
      out[name] = value;
    }
  }
  return out;
}

/**
 * The naming conventions seen in the wild, of every excitation kind (each
 * kind module lists its own; SPEC.md, "Import conventions").
 */
export const NAMING_CONVENTIONS = collect<NamingConvention>(
  (kind) => EXCITATION_KINDS[kind].conventions,
  'naming convention',
) as Readonly<Record<NamingConventionName, NamingConvention>>;
export const NAMING_CONVENTION_NAMES = Object.keys(NAMING_CONVENTIONS) as NamingConventionName[];

/** The built-in conventions of one kind. */
export function conventionsOfKind(kind: ExcitationKindName): NamingConvention[] {
  return Object.values(EXCITATION_KINDS[kind].conventions);
}

function nonEmptyString(value: unknown, field: string, allowEmpty = false): string {
  if (typeof value !== 'string' || (!allowEmpty && value === '')) {
    throw new SEImportError(field, 'a non-empty string', value);
  }
  return value;
}

/**
 * A built-in convention by name, or a caller's own convention checked for
 * completeness (a known kind, a distinct name for each of its weights,
 * layouts of distinct ranks).
 *
 * @example
 * ```ts
 * resolveNamingConvention('fc-sequential').tensors.fc2Weight; // 'fc.2.weight'
 * resolveNamingConvention({ ...NAMING_CONVENTIONS['fc1-fc2'], name: 'linear-fc', layouts: ['oi'] });
 * ```
 */
export function resolveNamingConvention(
  convention: NamingConventionName | NamingConvention,
  field = 'options.convention',
): NamingConvention {
  if (typeof convention === 'string') {
    if (!Object.hasOwn(NAMING_CONVENTIONS, convention)) {
      throw new SEImportError(field, `one of ${NAMING_CONVENTION_NAMES.join(', ')}`, convention);
    }
    return NAMING_CONVENTIONS[convention];
  }
  if (typeof convention !== 'object' || convention === null) {
    throw new SEImportError(field, 'a convention name or object', convention);
  }
  nonEmptyString(convention.name, `${field}.name`);
  nonEmptyString(convention.separator, `${field}.separator`, true);
  let kind: ReturnType<typeof excitationKind>;
  try {
    kind = excitationKind(convention.kind, `${field}.kind`);
  } catch {
    throw new SEImportError(
      `${field}.kind`,
      `one of ${EXCITATION_KIND_NAMES.join(', ')}`,
      convention.kind,
    );
  }
  const tensors = convention.tensors;
  if (typeof tensors !== 'object' || tensors === null) {
    throw new SEImportError(`${field}.tensors`, `names for ${kind.weightKeys.join(', ')}`, tensors);
  }
  const names = kind.weightKeys.map((key) =>
    nonEmptyString(tensors[key], `${field}.tensors.${key}`),
  );
  if (new Set(names).size !== names.length) {
    throw new SEImportError(`${field}.tensors`, `${names.length} distinct tensor names`, names);
  }
  const layouts = convention.layouts;
  if (
    !Array.isArray(layouts) ||
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
