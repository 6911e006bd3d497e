import type {
  ExcitationKindModule,
  ExcitationSpecBase,
  ImportPreset,
  KindWeights,
  NamingConvention,
} from './kind.js';

/** A kind module whose convention and preset names are literal types. */
export type KindModuleWithNames<
  S extends ExcitationSpecBase,
  I extends ExcitationSpecBase,
  W extends KindWeights,
  C extends Readonly<Record<string, NamingConvention>>,
  P extends Readonly<Record<string, ImportPreset>>,
> = Omit<ExcitationKindModule<S, I, W>, 'conventions' | 'presets'> & {
  readonly conventions: C;
  readonly presets: P;
};

/**
 * Checks a kind module against {@link ExcitationKindModule} while keeping the
 * literal names of its conventions and presets (they become
 * `NamingConventionName` and `ImportPresetName`). Curried so the spec, input
 * and weight types are given and the names are inferred.
 *
 * @example
 * ```ts
 * export const myKind = defineExcitationKind<MySpec, MySpec, MyWeights>()({ kind: 'my', ... });
 * ```
 */
export function defineExcitationKind<
  S extends ExcitationSpecBase,
  I extends ExcitationSpecBase,
  W extends KindWeights,
>() {
  return <
    const C extends Readonly<Record<string, NamingConvention>>,
    const P extends Readonly<Record<string, ImportPreset>>,
  >(
    module: ExcitationKindModule<S, I, W> & { readonly conventions: C; readonly presets: P },
  ): KindModuleWithNames<S, I, W, C, P> => Object.freeze(module);
}
