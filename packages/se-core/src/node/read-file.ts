import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { describeValue, SEError, SEFileError } from '../errors/index.js';
import { pathOf } from './atomic-write.js';
import { fileKind } from './file-kind.js';

/**
 * Largest file the Node helpers read unless told otherwise: 1 GiB. The
 * largest SE networks' checkpoints are a few hundred MB (SENet-154 in float32
 * is about 440 MB); a larger file is far more likely a wrong path than a model.
 */
export const DEFAULT_MAX_FILE_BYTES = 2 ** 30;

/** Options of the Node helpers that read a file. */
export interface ReadFileOptions {
  /**
   * Refuse files larger than this many bytes before reading them
   * (default {@link DEFAULT_MAX_FILE_BYTES}; `Infinity` lifts the bound).
   */
  readonly maxBytes?: number;
}

// O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer, forever.
// It changes nothing for a regular file. Windows has no such flag (and no FIFOs).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function maxBytesOf(options: ReadFileOptions): number {
  const { maxBytes = DEFAULT_MAX_FILE_BYTES } = options;
  if (typeof maxBytes !== 'number' || Number.isNaN(maxBytes) || maxBytes < 0) {
    throw new SEError(
      'options.maxBytes',
      `expected a non-negative number of bytes (or Infinity), received ${describeValue(maxBytes)}`,
    );
  }
  return maxBytes;
}

function refuseUnlessReadable(path: string, stats: Stats, maxBytes: number): void {
  if (!stats.isFile()) {
    throw new SEFileError(path, 'a regular file (symbolic links are followed)', fileKind(stats));
  }
  if (stats.size > maxBytes) {
    throw new SEFileError(
      path,
      `a file of at most ${maxBytes} bytes (raise options.maxBytes to read it)`,
      `a file of ${stats.size} bytes`,
    );
  }
}

/**
 * A file's bytes, read safely from a path a user gave: the path must be a
 * regular file after following symbolic links (a FIFO, a device such as
 * /dev/zero, a directory or a socket is refused with {@link SEFileError}
 * before anything is read) and at most `options.maxBytes` long. The result is
 * a fresh Uint8Array of exactly the file's size. A missing file rejects with
 * Node's ENOENT error.
 *
 * @example
 * ```ts
 * const { tensors } = readSafetensorsIndex(await readBytes('model.safetensors'));
 * const big = await readBytes('senet154.safetensors', { maxBytes: 2 ** 31 });
 * ```
 */
export async function readBytes(
  path: string | URL,
  options: ReadFileOptions = {},
): Promise<Uint8Array> {
  const target = pathOf(path);
  const maxBytes = maxBytesOf(options);
  // Classify first so a socket or a FIFO is named, not opened.
  refuseUnlessReadable(target, await stat(target), maxBytes);
  const handle = await open(target, OPEN_FLAGS);
  try {
    // Again on what was opened: the path may have been swapped since the stat.
    const stats = await handle.stat();
    refuseUnlessReadable(target, stats, maxBytes);
    const out = new Uint8Array(stats.size);
    let filled = 0;
    while (filled < out.length) {
      const { bytesRead } = await handle.read(out, filled, out.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    // A file that shrinks or grows while read (or a /proc file that claims size 0) is refused whole.
    const { bytesRead: extra } = await handle.read(new Uint8Array(1), 0, 1, filled);
    if (filled !== stats.size || extra !== 0) {
      throw new SEFileError(
        target,
        `the ${stats.size} bytes its size says`,
        `${filled === stats.size ? 'more' : `${filled}`} bytes: the file changed while it was read`,
      );
    }
    return out;
  } finally {
    await handle.close();
  }
}
