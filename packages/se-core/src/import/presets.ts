import { SEImportError } from '../errors/index.js';
import type { ImportPreset } from '../excitation/kind.js';
import {
  EXCITATION_KIND_NAMES,
  EXCITATION_KINDS,
  type ExcitationKindName,
} from '../excitation/registry.js';
import { NAMING_CONVENTIONS, type NamingConventionName } from './conventions.js';

export type { ImportPreset };

/** The name of a built-in import preset of any kind. */
export type ImportPresetName = {
  [K in ExcitationKindName]: keyof (typeof EXCITATION_KINDS)[K]['presets'] & string;
}[ExcitationKindName];

function collectPresets(): Record<string, ImportPreset> {
  const out: Record<string, ImportPreset> = {};
  for (const kind of EXCITATION_KIND_NAMES) {
    for (const [name, preset] of Object.entries(EXCITATION_KINDS[kind].presets)) {
      const convention = NAMING_CONVENTIONS[preset.convention as NamingConventionName];
      if (Object.hasOwn(out, name) || convention?.kind !== kind) {
        throw new Error(
          `import preset "${name}" is defined twice or names a convention of another kind`,
        );
      }
      out[name] = preset;
    }
  }
  return out;
}

/**
 * What the tensors cannot say, per codebase (SPEC.md, "Import conventions"):
 * each kind module lists its presets; this is all of them.
 */
export const IMPORT_PRESETS = collectPresets() as Readonly<Record<ImportPresetName, ImportPreset>>;
export const IMPORT_PRESET_NAMES = Object.keys(IMPORT_PRESETS) as ImportPresetName[];

/**
 * A preset by name; throws {@link SEImportError} listing the known names.
 *
 * @example
 * ```ts
 * resolveImportPreset('torchvision-mobilenetv3').gate; // { type: 'hardsigmoid', alpha: 1/6, beta: 0.5 }
 * ```
 */
export function resolveImportPreset(name: string, field = 'options.preset'): ImportPreset {
  if (typeof name !== 'string' || !Object.hasOwn(IMPORT_PRESETS, name)) {
    throw new SEImportError(field, `one of ${IMPORT_PRESET_NAMES.join(', ')}`, name);
  }
  return IMPORT_PRESETS[name as ImportPresetName];
}
