import { parseArgs } from 'node:util';

export const USAGE = `usage: se-bench [--quick] [--only memcpy,pytorch,tfjs,onnxruntime,browser] [--out DIR]
  --quick   two shapes and a few runs: a smoke test of the harness (numbers are rough)
  --only    the runners to use (default: all; memcpy always runs, it is the baseline)
  --out     where to write the JSON and Markdown reports (default: <repo>/reports/bench)`;

export interface BenchArgs {
  readonly quick: boolean;
  readonly only?: readonly string[];
  readonly out?: string;
  readonly help: boolean;
}

/**
 * Parses the command line. A leading `--` is dropped: `pnpm --filter se-bench bench -- --quick`
 * passes it through to the script (pnpm 12 does), and it only separates pnpm's own flags.
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  return {
    quick: values.quick ?? false,
    help: values.help ?? false,
    ...(values.only === undefined ? {} : { only: values.only.split(',').map((s) => s.trim()) }),
    ...(values.out === undefined ? {} : { out: values.out }),
  };
}

/** What the load average says about the run's numbers. */
export function loadNote(before: number, after: number, cores: number): string {
  const load = `1-minute load average ${before.toFixed(1)} before, ${after.toFixed(1)} after (${cores} cores)`;
  return Math.max(before, after) > cores
    ? `${load}: above the core count, other work shared the CPU (compare ratios, not times)`
    : `${load}: the CPU was not oversubscribed`;
}
