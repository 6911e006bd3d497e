// The Node file helpers take paths from users (`se-core inspect <file>`, -o):
// a FIFO, a device or a huge file must be refused by type and size before a
// byte is read, and a write must never replace a link, FIFO or device.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  symlink,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeSEWeights, SEError } from '../src/index.js';
import {
  readBytes,
  readSEWeightsFile,
  writeFileAtomic,
  writeSEWeightsFile,
} from '../src/node/index.js';
import { TINY_BLOCK } from './arbitraries.js';

const block = TINY_BLOCK;

let dir: string;
const fifos: string[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'se-core-files-'));
});
afterEach(async () => {
  // A reader stuck on a FIFO (the bug these tests guard against) would hold a
  // libuv thread forever: give it a writer that closes at once, so it ends.
  for (const fifo of fifos.splice(0)) {
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // ENXIO: nobody is reading it, which is what should happen.
    }
  }
  await rm(dir, { recursive: true, force: true });
});

function makeFifo(name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  fifos.push(path);
  return path;
}

/** The typed error a file helper rejects with: class, path and what the path is. */
async function fileError(promise: Promise<unknown>, path: string, kind: RegExp) {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to reject');
    },
    (e: Error) => e,
  );
  expect(error, `${error.name}: ${error.message}`).toBeInstanceOf(SEError);
  expect(error.name).toBe('SEFileError');
  expect((error as SEError).field).toBe(path);
  expect(error.message).toMatch(kind);
}

const itPosix = process.platform === 'win32' ? it.skip : it;

describe('reading refuses what is not a regular file, by what it is', () => {
  itPosix('a FIFO, at once instead of waiting for a writer forever', async () => {
    const fifo = makeFifo('pipe.safetensors');
    await fileError(readBytes(fifo), fifo, /expected a regular file .*, received a FIFO/);
  });

  itPosix('a symbolic link to a character device (/dev/null: the link is followed)', async () => {
    const link = join(dir, 'null.safetensors');
    await symlink('/dev/null', link);
    await fileError(readSEWeightsFile(link), link, /received a character device/);
  });

  itPosix('a symbolic link to /dev/zero, before reading (it grew to 8.9 GB)', async () => {
    const link = join(dir, 'zero.safetensors');
    await symlink('/dev/zero', link);
    await fileError(readBytes(link), link, /received a character device/);
  });

  it('a directory', async () => {
    await fileError(readBytes(dir), dir, /received a directory/);
  });

  it('a missing file still rejects with Node ENOENT', async () => {
    await expect(readBytes(join(dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('reading is bounded in size, before reading', () => {
  it('refuses a file over options.maxBytes, naming both sizes', async () => {
    const path = join(dir, 'se.safetensors');
    const bytes = encodeSEWeights(block);
    await writeFile(path, bytes);
    await fileError(
      readBytes(path, { maxBytes: bytes.length - 1 }),
      path,
      new RegExp(`at most ${bytes.length - 1} bytes .*received a file of ${bytes.length} bytes`),
    );
    expect(await readBytes(path, { maxBytes: bytes.length })).toEqual(bytes);
    expect(await readSEWeightsFile(path, { maxBytes: bytes.length })).toEqual(block);
  });

  it('refuses a sparse file over the 1 GiB default without reading it', async () => {
    const path = join(dir, 'sparse.safetensors');
    await writeFile(path, '');
    await truncate(path, 2 ** 30 + 1); // sparse: no disk space, no memory
    const before = process.memoryUsage().rss;
    await fileError(readBytes(path), path, /at most 1073741824 bytes/);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 2 ** 20);
  });

  it('refuses a maxBytes that is not a size', async () => {
    await expect(readBytes(dir, { maxBytes: -1 })).rejects.toThrow(
      /options.maxBytes: expected a non-negative number/,
    );
  });

  it('returns a fresh buffer of exactly the file size', async () => {
    const path = join(dir, 'se.safetensors');
    await writeSEWeightsFile(path, block);
    const bytes = await readBytes(path);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
  });
});

describe('writing refuses an existing target that is not a regular file', () => {
  async function expectUntouched(path: string, kind: RegExp) {
    await fileError(writeFileAtomic(path, new Uint8Array([1, 2, 3])), path, kind);
    // Nothing half-written: no temporary file is left next to the target.
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }

  itPosix('a symbolic link stays a link, its target unchanged', async () => {
    const real = join(dir, 'real.safetensors');
    await writeFile(real, 'original');
    const link = join(dir, 'link.safetensors');
    await symlink(real, link);
    await expectUntouched(
      link,
      /expected a regular file or a path that does not exist yet, received a symbolic link/,
    );
    expect(await readlink(link)).toBe(real);
    expect(await readFile(real, 'utf8')).toBe('original');
  });

  itPosix('a FIFO stays a FIFO', async () => {
    const fifo = makeFifo('out.safetensors');
    await expectUntouched(fifo, /received a FIFO/);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });

  itPosix('a device node stays a device', async (context) => {
    const device = join(dir, 'null-device');
    try {
      execFileSync('mknod', [device, 'c', '1', '3'], { stdio: 'ignore' });
    } catch {
      context.skip('mknod needs root: cannot make a device node here');
    }
    await expectUntouched(device, /received a character device/);
    expect((await lstat(device)).isCharacterDevice()).toBe(true);
  });

  it('a directory', async () => {
    const sub = join(dir, 'sub');
    await mkdir(sub);
    await expectUntouched(sub, /received a directory/);
  });

  it('a regular file is still replaced, and a new path created', async () => {
    const path = join(dir, 'se.safetensors');
    await writeFile(path, 'old');
    await writeSEWeightsFile(path, block);
    expect(await readSEWeightsFile(path)).toEqual(block);
  });
});
