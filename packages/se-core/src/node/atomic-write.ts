import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
 * Writes `bytes` to `path` so that readers see the old file or the whole new
 * one, never a part: write a temporary file next to it, flush it to disk,
 * then rename over the target (atomic on POSIX within one directory). On
 * failure the temporary file is removed and the target is untouched.
 *
 * @example
 * ```ts
 * await writeFileAtomic('out/block.safetensors', encodeSEWeights(block));
 * ```
 */
export async function writeFileAtomic(path: string | URL, bytes: Uint8Array): Promise<void> {
  const target = pathOf(path);
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
    await rename(temp, target);
  } catch (error) {
    await handle?.close().catch(() => {});
    await rm(temp, { force: true }).catch(() => {});
    throw error;
  }
}
