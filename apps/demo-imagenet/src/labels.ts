import { IMAGENET_CLASSES } from './imagenet-classes.generated.js';

export { IMAGENET_CLASSES };

/**
 * The name of each class of a checkpoint: its config.json's `label_names` when it has them
 * (timm writes them for models not trained on ImageNet-1k), the ImageNet-1k names for 1000
 * classes, `class 0`, `class 1`, … otherwise.
 *
 * @example
 * ```ts
 * classNames({}, 1000)[1]; // 'goldfish'
 * ```
 */
export function classNames(
  config: Readonly<Record<string, unknown>> | undefined,
  numClasses: number,
): readonly string[] {
  const given = config?.label_names;
  if (
    Array.isArray(given) &&
    given.length === numClasses &&
    given.every((n) => typeof n === 'string')
  )
    return given as string[];
  if (numClasses === IMAGENET_CLASSES.length) return IMAGENET_CLASSES;
  return Array.from({ length: numClasses }, (_, i) => `class ${i}`);
}
