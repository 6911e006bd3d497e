// Browser tests only: files read through vitest's server-side readFile (paths relative to
// packages/se-onnxruntime; anything in the repository is allowed).
import { commands } from 'vitest/browser';

export async function readBytes(path: string): Promise<Uint8Array> {
  const binary = atob(await commands.readFile(path, 'base64'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
