import { SESpecError } from '../errors/index.js';
import { efficientNetB0 } from './efficientnet.js';
import { mobileNetV3Large, mobileNetV3Small } from './mobilenetv3.js';
import { resNet50, seResNet50, seResNet101, seResNeXt50_32x4d } from './resnet.js';
import type { ArchitectureName, NetworkDefinition } from './types.js';

/** Options any builder accepts through {@link buildNetwork} (each uses the ones it knows). */
export interface AnyNetworkOptions {
  readonly numClasses?: number;
  readonly width?: number;
  readonly widthMultiplier?: number;
  readonly cardinality?: number;
  readonly baseWidth?: number;
  readonly dropout?: number;
  readonly stochasticDepth?: number;
}

/** Every architecture se-core can build, by its timm / torchvision model name. */
export const NETWORK_BUILDERS: Readonly<
  Record<ArchitectureName, (options?: AnyNetworkOptions) => NetworkDefinition>
> = Object.freeze({
  resnet50: resNet50,
  seresnet50: seResNet50,
  seresnet101: seResNet101,
  seresnext50_32x4d: seResNeXt50_32x4d,
  mobilenet_v3_small: mobileNetV3Small,
  mobilenet_v3_large: mobileNetV3Large,
  efficientnet_b0: efficientNetB0,
});

/** The architecture names {@link buildNetwork} accepts. */
export const ARCHITECTURE_NAMES = Object.freeze(
  Object.keys(NETWORK_BUILDERS) as ArchitectureName[],
);

/**
 * Builds a network by its timm / torchvision name (what a Hugging Face `config.json` calls
 * `architecture`). Throws SESpecError listing the known names for any other.
 *
 * @example
 * ```ts
 * const net = buildNetwork('seresnet50', { numClasses: 1000 });
 * ```
 */
export function buildNetwork(
  architecture: string,
  options: AnyNetworkOptions = {},
): NetworkDefinition {
  if (!Object.hasOwn(NETWORK_BUILDERS, architecture)) {
    throw new SESpecError('architecture', `one of ${ARCHITECTURE_NAMES.join(', ')}`, architecture);
  }
  return NETWORK_BUILDERS[architecture as ArchitectureName](options);
}
