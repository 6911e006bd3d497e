import { NAMING_CONVENTION_NAMES, type NamingConventionName } from '../../import/conventions.js';
import { exportSEBlocksToSafetensors } from '../../import/export-blocks.js';
import { writeFileAtomic } from '../../node/atomic-write.js';
import { readSEBundleFile } from '../../node/weight-files.js';
import { parseCommandLine, parseDType, positionals } from '../args.js';
import { type CliIO, EXIT, UsageError } from '../io.js';

export const EXPORT_USAGE = `Usage: se-core export <bundle> --convention <name> -o <out.safetensors> [options]

Writes the blocks of an SE weight file or bundle under another codebase's
tensor names and layouts (the inverse of se-core import).

Options:
  --convention <name>   ${NAMING_CONVENTION_NAMES.join(', ')}
  -o, --output <file>   the safetensors file to write
  --dtype <dtype>       F32 (default), F16 or F64
  -h, --help            show this help

Example:
  se-core export se.safetensors --convention keras-se-reduce-expand -o keras-se.safetensors`;

export async function exportCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals: rest } = parseCommandLine(args, {
    convention: { type: 'string' },
    output: { type: 'string', short: 'o' },
    dtype: { type: 'string' },
  });
  if (values.help) {
    io.out(EXPORT_USAGE);
    return EXIT.ok;
  }
  const [file] = positionals(rest, ['bundle']) as [string];
  if (values.convention === undefined)
    throw new UsageError(`--convention is required: one of ${NAMING_CONVENTION_NAMES.join(', ')}`);
  if (!(NAMING_CONVENTION_NAMES as readonly string[]).includes(values.convention)) {
    throw new UsageError(
      `--convention: expected one of ${NAMING_CONVENTION_NAMES.join(', ')}, received "${values.convention}"`,
    );
  }
  if (values.output === undefined) throw new UsageError('-o <out.safetensors> is required');
  const dtype = parseDType(values.dtype);
  const blocks = await readSEBundleFile(file);
  const bytes = exportSEBlocksToSafetensors(
    blocks,
    values.convention as NamingConventionName,
    dtype ? { dtype } : {},
  );
  await writeFileAtomic(values.output, bytes);
  io.out(
    `wrote ${values.output}: ${blocks.size} block(s) in convention ${values.convention} (${bytes.length} bytes)`,
  );
  return EXIT.ok;
}
