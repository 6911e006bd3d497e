import { EXCITATION_KIND_NAMES, type ExcitationKindName } from '../../excitation/registry.js';
import { NAMING_CONVENTION_NAMES, type NamingConventionName } from '../../import/conventions.js';
import { importSEBlocks, type SEImportOptions } from '../../import/import-blocks.js';
import { IMPORT_PRESET_NAMES, type ImportPresetName } from '../../import/presets.js';
import { writeFileAtomic } from '../../node/atomic-write.js';
import { readBytes } from '../../node/weight-files.js';
import { ACTIVATIONS, type Activation, SQUEEZE_MODES, type SqueezeMode } from '../../spec/types.js';
import { encodeSEBundle } from '../../weights/codec.js';
import {
  GATE_HELP,
  parseCommandLine,
  parseDType,
  parseGate,
  parseNumber,
  positionals,
} from '../args.js';
import { blockTable } from '../format.js';
import { type CliIO, EXIT, UsageError } from '../io.js';

export const IMPORT_USAGE = `Usage: se-core import <file> [options]

Finds every SE block in a safetensors file (a PyTorch state_dict or Keras /
TF.js weights), prints a summary table and, with -o, writes an SE bundle.

Options:
  --preset <name>       ${IMPORT_PRESET_NAMES.join(', ')}
  --convention <name>   ${NAMING_CONVENTION_NAMES.join(', ')}
                        (default: the preset's; without a preset, every one of --kind)
  --kind <kind>         ${EXCITATION_KIND_NAMES.join(', ')}: what to look for without a
                        preset or convention (default mlp)
  --activation <name>   ${ACTIVATIONS.join(', ')} (overrides the preset; mlp, cbam)
  --gate <gate>         ${GATE_HELP}
  --squeeze <mode>      ${SQUEEZE_MODES.join(', ')} (default: the kind's first)
  --gain <number>       multiplier outside the gate (default 1)
  --channels <n>        the blocks' channel count, for kinds whose weights do not
                        say it (eca) when the preset cannot find it
  -o, --output <file>   write the blocks as an SE bundle (.safetensors)
  --dtype <dtype>       F32 (default), F16 or F64 for the written file
  --json                print the import report as JSON instead of a table
  -h, --help            show this help

Example:
  se-core import mobilenet_v3_small.safetensors --preset torchvision-mobilenetv3 -o se.safetensors`;

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  flag: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag}: expected one of ${allowed.join(', ')}, received "${value}"`);
  }
  return value as T;
}

export async function importCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals: rest } = parseCommandLine(args, {
    preset: { type: 'string' },
    convention: { type: 'string' },
    activation: { type: 'string' },
    gate: { type: 'string' },
    squeeze: { type: 'string' },
    gain: { type: 'string' },
    kind: { type: 'string' },
    channels: { type: 'string' },
    output: { type: 'string', short: 'o' },
    dtype: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    io.out(IMPORT_USAGE);
    return EXIT.ok;
  }
  const [file] = positionals(rest, ['file']) as [string];
  const preset = oneOf<ImportPresetName>(values.preset, IMPORT_PRESET_NAMES, '--preset');
  const convention = oneOf<NamingConventionName>(
    values.convention,
    NAMING_CONVENTION_NAMES,
    '--convention',
  );
  const activation = oneOf<Activation>(values.activation, ACTIVATIONS, '--activation');
  const squeeze = oneOf<SqueezeMode>(values.squeeze, SQUEEZE_MODES, '--squeeze');
  const kind = oneOf<ExcitationKindName>(values.kind, EXCITATION_KIND_NAMES, '--kind');
  const channels =
    values.channels === undefined ? undefined : parseNumber(values.channels, '--channels');
  if (channels !== undefined && !(Number.isInteger(channels) && channels >= 1)) {
    throw new UsageError(`--channels: expected an integer >= 1, received "${values.channels}"`);
  }
  const dtype = parseDType(values.dtype);
  const options: SEImportOptions = {
    ...(preset && { preset }),
    ...(convention && { convention }),
    ...(activation && { activation }),
    ...(values.gate !== undefined && { gate: parseGate(values.gate) }),
    ...(squeeze && { squeeze }),
    ...(kind && { kind }),
    ...(channels !== undefined && { channels }),
    ...(values.gain !== undefined && { gain: parseNumber(values.gain, '--gain') }),
  };

  const { blocks, report } = importSEBlocks(await readBytes(file), options);
  const bytes =
    values.output === undefined ? undefined : encodeSEBundle(blocks, dtype ? { dtype } : {});
  if (values.json) {
    io.out(JSON.stringify({ file, ...report }, null, 2));
  } else {
    for (const line of blockTable(report.blocks)) io.out(line);
    const conventions = [...new Set(report.blocks.map((b) => b.convention))].join(', ');
    io.out('');
    io.out(
      `${report.blocks.length} SE block(s) in ${file} (convention ${conventions}${report.preset ? `, preset ${report.preset}` : ''}); ${report.ignoredTensors.length} other tensor(s) ignored`,
    );
    for (const skip of report.skipped) io.out(`skipped ${skip.tensor}: ${skip.reason}`);
    for (const warning of report.warnings) io.out(`warning: ${warning}`);
  }
  if (bytes && values.output !== undefined) {
    await writeFileAtomic(values.output, bytes);
    (values.json ? io.err : io.out)(`wrote ${values.output} (${bytes.length} bytes)`);
  }
  return EXIT.ok;
}
