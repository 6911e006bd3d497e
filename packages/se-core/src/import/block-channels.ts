import { describeShape, SEImportError } from '../errors/index.js';
import type { ImportPreset, NamingConvention } from '../excitation/kind.js';
import { isRecord, positiveInteger } from '../spec/fields.js';
import type { TensorMap } from './tensor-map.js';

/** Where a block's channel count may come from when its weights do not fix it. */
export interface ChannelSources {
  /** options.channels: one count for every block, or one per prefix. */
  readonly given: number | Readonly<Record<string, number>> | undefined;
  /** What an exported file recorded for this block. */
  readonly stored: number | undefined;
  readonly preset: ImportPreset | undefined;
}

/**
 * Checks options.channels before any tensor is read: one count, or a map
 * prefix → count; SESpecError naming the entry otherwise.
 */
export function checkChannelsOption(given: unknown): void {
  if (given === undefined) return;
  if (isRecord(given)) {
    for (const [prefix, value] of Object.entries(given)) {
      positiveInteger(value, `options.channels["${prefix}"]`);
    }
  } else {
    positiveInteger(given, 'options.channels');
  }
}

/** The module path above `prefix` (`layer1.0` for `layer1.0.se`), '' at the top. */
function parentOf(prefix: string, separator: string): string {
  const at = separator === '' ? -1 : prefix.lastIndexOf(separator);
  return at < 0 ? '' : prefix.slice(0, at);
}

/**
 * The channel count of the block at `prefix` for a kind whose weights do not
 * say it (eca): options first, then the exported file's record, then the
 * preset's sibling tensors (their first dimension). Throws SEImportError
 * naming options.channels when none knows.
 */
export function blockChannels(
  tensors: TensorMap,
  prefix: string,
  convention: NamingConvention,
  sources: ChannelSources,
): number {
  const { given, stored, preset } = sources;
  const fromOptions = typeof given === 'number' ? given : given?.[prefix];
  if (fromOptions !== undefined) return fromOptions;
  if (stored !== undefined) return stored;
  const parent = parentOf(prefix, convention.separator);
  const looked: string[] = [];
  for (const relative of preset?.channelsFrom ?? []) {
    const name = parent === '' ? relative : `${parent}${convention.separator}${relative}`;
    looked.push(name);
    const shape = tensors.get(name)?.shape;
    if (shape === undefined) continue;
    const [channels] = shape;
    if (!Array.isArray(shape) || !Number.isSafeInteger(channels) || (channels as number) < 1) {
      throw new SEImportError(
        `tensor ${name}.shape`,
        `[C, …] giving the channels of block "${prefix}"`,
        shape,
        Array.isArray(shape) ? describeShape(shape) : String(shape),
      );
    }
    return channels as number;
  }
  const where = looked.length > 0 ? `; looked for ${looked.join(', ')}` : '';
  throw new SEImportError(
    'options.channels',
    `the channel count of block "${prefix}" (its weights do not fix it: pass options.channels, or a preset that finds it${where})`,
    undefined,
    'nothing',
  );
}
