import { SEError } from '@seblock/se-core';
import { serialization } from '@tensorflow/tfjs-core';
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers.js';

/** An initializer object, its serialised form `{ className, config }`, or a name such as 'heNormal'. */
export type InitializerInput =
  | Initializer
  | string
  | { readonly className: string; readonly config?: serialization.ConfigDict };

export type { Initializer };

function isInitializer(value: unknown): value is Initializer {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Initializer).apply === 'function'
  );
}

/**
 * Resolves an initializer through TF.js' own serialisation registry (where tfjs-layers registers
 * every built-in initializer), so a saved config comes back as the same initializer.
 */
export function toInitializer(input: InitializerInput, field: string): Initializer {
  if (isInitializer(input)) return input;
  const className =
    typeof input === 'string' ? input.charAt(0).toUpperCase() + input.slice(1) : input?.className;
  const config = typeof input === 'string' ? {} : (input?.config ?? {});
  const entry = serialization.SerializationMap.getMap().classNameMap[className ?? ''];
  if (!entry) {
    throw new SEError(
      field,
      `expected an initializer (e.g. tf.initializers.heNormal({}), 'glorotUniform' or { className, config }), received ${JSON.stringify(input)}`,
    );
  }
  const [cls, fromConfig] = entry;
  return fromConfig(cls, config) as unknown as Initializer;
}

export function serializeInitializer(initializer: Initializer): serialization.ConfigDict {
  return { className: initializer.getClassName(), config: initializer.getConfig() };
}
