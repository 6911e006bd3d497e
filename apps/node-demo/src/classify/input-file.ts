import { readFile } from 'node:fs/promises';
import { InputFileError } from './errors.js';

/** The bytes of an input file, or an {@link InputFileError} saying why not. */
export async function readInputFile(role: string, path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'a folder, not a file'
          : `cannot be read (${(error as Error).message})`;
    throw new InputFileError(role, path, problem);
  }
}
