#!/usr/bin/env node
// se-demo: the Node demo's command line (see --help). `se-demo classify …` runs the checkpoint
// demo (src/classify/); anything else the MNIST training demo.
import { classifyMain } from './classify/main.js';
import { runDemo } from './demo.js';
import { HELP, parseOptions, UsageError } from './options.js';
import { palette, wantsColor } from './ui/palette.js';

// Registers the SqueezeExcite layer class (se-tfjs' one side effect) for save and load.
import '@seblock/se-tfjs';

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'classify') return classifyMain(argv.slice(1), process.stdout, process.stderr);
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`se-demo: ${error.message}\n\n${HELP}`);
    return 2;
  }
  if (!options) {
    process.stdout.write(HELP);
    return 0;
  }
  const color = options.color ?? wantsColor(process.stdout, process.env);
  try {
    await runDemo(options, { out: process.stdout, palette: palette(color) });
    return 0;
  } catch (error) {
    process.stderr.write(`se-demo: ${error instanceof Error ? error.stack : String(error)}\n`);
    return 1;
  }
}

// `pnpm start -- --help` passes the `--` through: drop it, as a user meant.
const args = process.argv.slice(2);
while (args[0] === '--') args.shift();
process.exitCode = await main(args);
