import { commands } from 'vitest/browser';
import type { GoldenReader } from '../support/golden.js';

// The browser reads se-core's golden files through vitest's server-side readFile command
// (paths relative to the project root, packages/se-tfjs).
const GOLDEN = '../se-core/golden/';

async function read(path: string, encoding: 'utf8' | 'base64'): Promise<string | undefined> {
  try {
    return await commands.readFile(GOLDEN + path, encoding);
  } catch (error) {
    if (/ENOENT|no such file/i.test(String(error))) return undefined;
    throw error;
  }
}

export const browserGoldenReader: GoldenReader = {
  text: (path) => read(path, 'utf8'),
  bytes: async (path) => {
    const base64 = await read(path, 'base64');
    if (base64 === undefined) return undefined;
    const binary = atob(base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  },
};
