import type { CliIO } from './io.js';

/**
 * The CLI's IO on the process streams. When the reader of a pipe goes away
 * (`se-core inspect big.safetensors | head`), the next write fails with EPIPE;
 * Node would report that as an unhandled 'error' event with a stack trace.
 * The output is no longer wanted, so exit at once, quietly, with status 0,
 * as `head` asked. Every line goes through {@link terminalSafe}.
 */
export function processIO(
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
  exit: (code: number) => void = (code) => process.exit(code),
): CliIO {
  for (const stream of [stdout, stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') exit(0);
      else throw error;
    });
  }
  return {
    out: (line) => stdout.write(`${terminalSafe(line)}\n`),
    err: (line) => stderr.write(`${terminalSafe(line)}\n`),
  };
}

/**
 * Control characters but newline and tab, escaped: whatever a command prints
 * (a tensor name from a file, in any message), it cannot send the terminal an
 * escape sequence or a carriage return. Newlines stay: usage texts and JSON
 * span lines (JSON escapes the newlines inside its strings itself).
 */
export function terminalSafe(text: string): string {
  return text.replace(/(?![\n\t])\p{Cc}/gu, escapeControl);
}

/**
 * One line, whatever is in it: a message or a table cell may quote a tensor
 * name from a hostile file, and a newline or terminal escape in it must not
 * forge output lines or drive the terminal. Control characters are shown as
 * `\u000a`-style escapes.
 *
 * @example
 * ```ts
 * oneLine('a\nb'); // 'a\\u000ab'
 * ```
 */
export function oneLine(text: string): string {
  return text.replace(/\p{Cc}/gu, escapeControl);
}

function escapeControl(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
