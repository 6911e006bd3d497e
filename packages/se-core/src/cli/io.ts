/** Where a command writes; the real CLI uses process streams, tests capture lines. */
export interface CliIO {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** Exit codes: 0 success, 1 the work failed (bad file, failed check), 2 the command line is wrong. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A wrong command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** An expected failure already explained to the user (exit code 1, no stack). */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}
