import { worstGap } from '../../golden/gap.js';
import {
  DEFAULT_GOLDEN_DIR,
  listGoldenCases,
  readGoldenCaseFile,
} from '../../node/golden-files.js';
import { seReference } from '../../reference/se-reference.js';
import { parseCommandLine, positionals } from '../args.js';
import { formatError } from '../compare.js';
import { formatShape } from '../format.js';
import { CliFailure, type CliIO, EXIT } from '../io.js';
import { formatTable } from '../table.js';

/**
 * Tolerance by the dtype of the stored y: a float64 y from an independent
 * float64 implementation must agree to 1e-12; a float32 y can only be as
 * close as its own rounding (2^-24 relative), so one float32 ULP is allowed.
 */
export const GOLDEN_TOLERANCE = { F64: 1e-12, F32: 2 ** -23 } as const;

export const VERIFY_GOLDEN_USAGE = `Usage: se-core verify-golden [dir] [options]

Decodes every golden case of dir (default: this package's golden/ directory,
${DEFAULT_GOLDEN_DIR}), runs the float64 reference seReference on x and compares
it with the stored y. Exits 1 if any case fails to decode or exceeds the
tolerance: ${GOLDEN_TOLERANCE.F64} relative for a float64 y, ${GOLDEN_TOLERANCE.F32.toExponential(2)} for a float32 y.
The error of an element is |ref - y| / |y| (|y| floored at 1e-300); NaN must
meet NaN and ±Infinity the same ±Infinity (SPEC.md, "NaN and overflow").

Options:
  -h, --help   show this help`;

export async function verifyGoldenCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals: rest } = parseCommandLine(args, {});
  if (values.help) {
    io.out(VERIFY_GOLDEN_USAGE);
    return EXIT.ok;
  }
  const [dir = DEFAULT_GOLDEN_DIR] = positionals(rest, ['dir'], 1);
  let entries: Awaited<ReturnType<typeof listGoldenCases>>;
  try {
    entries = await listGoldenCases(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CliFailure(`no golden directory at ${dir}`);
    throw error;
  }
  if (entries.length === 0) throw new CliFailure(`no golden cases in ${dir}: nothing verified`);

  const rows: (string | number)[][] = [];
  let failures = 0;
  for (const entry of entries) {
    try {
      const golden = await readGoldenCaseFile(entry.path);
      const expected = seReference(golden.block.spec, golden.block.weights, golden.x, golden.shape);
      const dtype = golden.y instanceof Float64Array ? 'F64' : 'F32';
      const error = worstGap(expected, golden.y).gap;
      const tolerance = GOLDEN_TOLERANCE[dtype];
      const ok = error <= tolerance;
      if (!ok) failures++;
      rows.push([
        entry.name,
        formatShape(golden.shape),
        dtype,
        formatError(error),
        tolerance.toExponential(0),
        ok ? 'ok' : 'FAIL',
      ]);
    } catch (error) {
      failures++;
      // One row per case, so one bad file does not hide the others' results.
      const { name, message } = error as Error;
      rows.push([entry.name, '-', '-', '-', '-', `FAIL ${name}: ${message}`]);
    }
  }
  for (const line of formatTable(
    ['case', 'shape', 'y', 'max rel err', 'tolerance', 'result'],
    rows,
  ))
    io.out(line);
  io.out('');
  io.out(`${entries.length - failures}/${entries.length} golden case(s) pass`);
  return failures === 0 ? EXIT.ok : EXIT.failure;
}
