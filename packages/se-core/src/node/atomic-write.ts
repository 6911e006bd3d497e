import { randomBytes } from 'node:crypto';
import { lstat, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEFileError } from '../errors/index.js';
import { fileKind } from './file-kind.js';

/**
 * A path given as a string or a `file:` URL, as a string.
 *
 * @example
 * ```ts
 * pathOf(new URL('../golden/', import.meta.url)); // '/…/se-core/golden/'
 * ```
 */
export function pathOf(path: string | URL): string {
  return path instanceof URL ? fileURLToPath(path) : path;
}

/**
 * Refuses a target that exists and is not a regular file. Renaming over a
 * symbolic link would replace the link (not the file it points to), and over
 * a FIFO or a device would turn it into a regular file: neither is what the
 * caller meant. lstat, so a link is seen as the link.
 */
async function refuseNonRegularTarget(target: string): Promise<void> {
  const stats = await lstat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (stats && !stats.isFile()) {
    throw new SEFileError(
      target,
      'a regular file or a path that does not exist yet',
      fileKind(stats),
    );
  }
}

/**
 * Writes `bytes` to `path` so that readers see the old file or the whole new
 * one, never a part: write a temporary file next to it, flush it to disk,
 * then rename over the target (atomic on POSIX within one directory). On
 * failure the temporary file is removed and the target is untouched. An
 * existing target that is not a regular file (a symbolic link, a FIFO, a
 * device, a directory) is refused with {@link SEFileError} before anything is
 * written.
 *
 * @example
 * ```ts
 * await writeFileAtomic('out/block.safetensors', encodeSEWeights(block));
 * ```
 */
export async function writeFileAtomic(path: string | URL, bytes: Uint8Array): Promise<void> {
  const target = pathOf(path);
  await refuseNonRegularTarget(target);
  // Same directory as the target: rename is only atomic within one file system.
  const temp = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(temp, 'wx');
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    // Again just before the rename: the writes above take time.
    await refuseNonRegularTarget(target);
    await rename(temp, target);
  } catch (error) {
    await handle?.close().catch(() => {});
    await rm(temp, { force: true }).catch(() => {});
    throw error;
  }
}
