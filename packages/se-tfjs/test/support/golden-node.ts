import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { GoldenReader } from './golden.js';

const GOLDEN = new URL('../../../se-core/golden/', import.meta.url);

async function read(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(fileURLToPath(new URL(path, GOLDEN)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export const nodeGoldenReader: GoldenReader = {
  text: async (path) => (await read(path))?.toString('utf8'),
  bytes: async (path) => {
    const buffer = await read(path);
    return buffer ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) : undefined;
  },
};
