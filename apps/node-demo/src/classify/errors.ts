import { SEError } from '@seblock/se-core';

/**
 * A file the command needs is not there or cannot be read. Printed like the packages' own errors
 * (`field: message`): the role of the file and its path, then what went wrong.
 */
export class InputFileError extends SEError {
  readonly path: string;
  constructor(role: string, path: string, problem: string) {
    super(`${role} ${path}`, problem);
    this.path = path;
  }
}

/**
 * A checkpoint the packages refused (not safetensors, a tensor missing or mis-shaped, an unknown
 * architecture): the packages' error, in `cause`, with the checkpoint it is about in front.
 */
export class CheckpointError extends SEError {
  override readonly cause: SEError;
  constructor(source: string, cause: SEError) {
    super(`checkpoint ${source}`, `${cause.name}: ${cause.message}`);
    this.cause = cause;
  }
}
