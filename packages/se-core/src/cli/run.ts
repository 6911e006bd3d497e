import { readFileSync } from 'node:fs';
import { describeValue, SEError } from '../errors/index.js';
import { EXPORT_USAGE, exportCommand } from './commands/export.js';
import { IMPORT_USAGE, importCommand } from './commands/import.js';
import { INSPECT_USAGE, inspectCommand } from './commands/inspect.js';
import { VERIFY_GOLDEN_USAGE, verifyGoldenCommand } from './commands/verify-golden.js';
import { CliFailure, type CliIO, EXIT, UsageError } from './io.js';
import { oneLine } from './output.js';

const COMMANDS = {
  import: {
    run: importCommand,
    usage: IMPORT_USAGE,
    summary: 'find SE blocks in a state_dict / Keras weights, write a bundle',
  },
  inspect: {
    run: inspectCommand,
    usage: INSPECT_USAGE,
    summary: 'print the specs and tensors of a safetensors file',
  },
  export: {
    run: exportCommand,
    usage: EXPORT_USAGE,
    summary: "write a bundle under another codebase's names",
  },
  'verify-golden': {
    run: verifyGoldenCommand,
    usage: VERIFY_GOLDEN_USAGE,
    summary: 'check every golden case against seReference',
  },
} as const;

type CommandName = keyof typeof COMMANDS;

export const USAGE = `Usage: se-core <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`)
  .join('\n')}

Run "se-core <command> --help" for a command's options.
Exit codes: 0 success, 1 failure, 2 usage error.`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? 'unknown';
}

/**
 * One line per error: typed SE errors by class name; Node I/O errors by their
 * message; anything else is a bug of ours, also one line (SE_CORE_DEBUG=1
 * prints its stack).
 */
function describeError(error: unknown): string {
  if (error instanceof SEError) return `${error.name}: ${error.message}`;
  if (error instanceof CliFailure) return error.message;
  if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string')
    return error.message;
  if (error instanceof Error && process.env.SE_CORE_DEBUG) return error.stack ?? error.message;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : describeValue(error);
  return `unexpected ${text} (a bug in se-core: please report it; SE_CORE_DEBUG=1 shows the stack)`;
}

/**
 * Runs the `se-core` command line and resolves to its exit code; never throws
 * and never calls process.exit, so tests can run it in-process.
 *
 * @example
 * ```ts
 * const code = await runCli(['inspect', 'se.safetensors'], { out: console.log, err: console.error });
 * ```
 */
export async function runCli(args: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? rest[0] : undefined;
    if (topic !== undefined && Object.hasOwn(COMMANDS, topic)) {
      io.out(COMMANDS[topic as CommandName].usage);
      return EXIT.ok;
    }
    (command === undefined ? io.err : io.out)(USAGE);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version' || command === '-v') {
    io.out(version());
    return EXIT.ok;
  }
  if (!Object.hasOwn(COMMANDS, command)) {
    io.err(
      `se-core: unknown command "${command}"; expected one of ${Object.keys(COMMANDS).join(', ')}`,
    );
    io.err('Run "se-core --help" for usage.');
    return EXIT.usage;
  }
  const { run } = COMMANDS[command as CommandName];
  try {
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`se-core ${command}: ${error.message}`);
      io.err(`Run "se-core ${command} --help" for usage.`);
      return EXIT.usage;
    }
    const described = `se-core ${command}: ${describeError(error)}`;
    io.err(process.env.SE_CORE_DEBUG ? described : oneLine(described));
    return EXIT.failure;
  }
}
