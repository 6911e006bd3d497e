import { parseArgs } from 'node:util';

export const USAGE = `usage: se-bench [--quick] [--suite blocks,networks] [--only memcpy,pytorch,tfjs,onnxruntime,browser] [--out DIR]
  --quick   a smoke test of the harness (numbers are rough): two block shapes and a few runs;
            the networks at batch 1, one thread, one round
  --suite   what to measure (default: both): 'blocks' (one SE block, against a memory copy),
            'networks' (SE-ResNet-50 against ResNet-50, whole networks)
  --only    the runners to use (default: all; memcpy always runs with the blocks, it is their baseline)
  --out     where to write the JSON and Markdown reports (default: <repo>/reports/bench)`;

/** The two suites: single SE blocks, and whole networks (SE-ResNet-50 against ResNet-50). */
export const SUITES = ['blocks', 'networks'] as const;
export type Suite = (typeof SUITES)[number];

export interface BenchArgs {
  readonly quick: boolean;
  readonly suites: readonly Suite[];
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
      suite: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const suites =
    values.suite === undefined ? [...SUITES] : values.suite.split(',').map((s) => s.trim());
  const unknown = suites.filter((s) => !(SUITES as readonly string[]).includes(s));
  if (unknown.length > 0 || suites.length === 0)
    throw new Error(`--suite: expected ${SUITES.join(' and/or ')}, received "${values.suite}"`);
  return {
    quick: values.quick ?? false,
    suites: suites as Suite[],
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
