import { decodeGoldenCase } from '../../golden/golden-case.js';
import { EXPORT_METADATA_KEY, parseExportMetadata } from '../../import/behaviour.js';
import { NAMING_CONVENTION_NAMES, NAMING_CONVENTIONS } from '../../import/conventions.js';
import { compareNatural } from '../../import/natural-order.js';
import { plausibleBlocks } from '../../import/read-block.js';
import { readSafetensorsTensors } from '../../import/tensor-map.js';
import { readBytes } from '../../node/weight-files.js';
import { canonicalSpecJSON } from '../../spec/validate.js';
import { decodeSEBundle } from '../../weights/codec.js';
import { METADATA } from '../../weights/types.js';
import { parseCommandLine, positionals } from '../args.js';
import { blockTable, formatShape } from '../format.js';
import { type CliIO, EXIT } from '../io.js';
import { formatTable } from '../table.js';

export const INSPECT_USAGE = `Usage: se-core inspect <file> [options]

Prints what a safetensors file holds: the spec(s) of an SE weight file, bundle
or golden case, checked as strictly as the library reads them; for any other
file (a state_dict, Keras weights) the SE-like tensors it contains; then every
tensor with its dtype and shape.

Options:
  --json       print specs as JSON
  -h, --help   show this help`;

type SafetensorsFile = ReturnType<typeof readSafetensorsTensors>;

function kindOf(file: SafetensorsFile): 'golden' | 'bundle' | 'weights' | 'foreign' {
  const { metadata } = file;
  if (metadata[METADATA.goldenCase] !== undefined) return 'golden';
  if (metadata[METADATA.blocks] !== undefined) return 'bundle';
  if (metadata[METADATA.spec] !== undefined)
    return file.tensors.has('x') && file.tensors.has('y') ? 'golden' : 'weights';
  return 'foreign';
}

function describeForeign(decoded: SafetensorsFile, io: CliIO): void {
  const exported = parseExportMetadata(decoded.metadata[EXPORT_METADATA_KEY]);
  if (exported)
    io.out(
      `exported by se-core in convention ${exported.convention}; se-core import reads it back without a preset`,
    );
  let any = false;
  for (const name of NAMING_CONVENTION_NAMES) {
    const convention = NAMING_CONVENTIONS[name];
    const found = plausibleBlocks(decoded.tensors, convention);
    if (found.length === 0) continue;
    any = true;
    const prefixes = found.map((c) => c.prefix || '(none)').sort(compareNatural);
    const shown = prefixes.length > 6 ? [...prefixes.slice(0, 6), '…'] : prefixes;
    io.out(
      `SE-like tensors in convention ${name} (kind ${convention.kind}): ${prefixes.length} (${shown.join(', ')})`,
    );
  }
  if (!any) io.out('no SE-like tensor names found');
  else io.out('import them with: se-core import <file> --preset <name>');
}

export async function inspectCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals: rest } = parseCommandLine(args, { json: { type: 'boolean' } });
  if (values.help) {
    io.out(INSPECT_USAGE);
    return EXIT.ok;
  }
  const [file] = positionals(rest, ['file']) as [string];
  const bytes = await readBytes(file);
  const decoded = readSafetensorsTensors(bytes);
  const kind = kindOf(decoded);
  io.out(
    `${file}: ${kind === 'foreign' ? 'safetensors (not an SE Blocks file)' : `SE ${kind === 'weights' ? 'weight file' : kind === 'bundle' ? 'bundle' : 'golden case'}`}, ${bytes.length} bytes`,
  );
  let specs: { prefix: string; spec: ReturnType<typeof canonicalSpecJSON> }[] = [];
  if (kind === 'golden') {
    const golden = decodeGoldenCase(bytes);
    io.out(
      `case ${golden.info.name}${golden.info.description ? `: ${golden.info.description}` : ''}`,
    );
    if (golden.info.source) io.out(`source: ${golden.info.source}`);
    io.out(
      `x ${formatShape(golden.shape)} NCHW, y ${golden.y instanceof Float64Array ? 'F64' : 'F32'}`,
    );
    specs = [{ prefix: '', spec: golden.block.spec }];
  } else if (kind !== 'foreign') {
    specs = [...decodeSEBundle(bytes)].map(([prefix, block]) => ({ prefix, spec: block.spec }));
  } else {
    describeForeign(decoded, io);
  }
  if (specs.length > 0) {
    if (values.json) {
      io.out(
        JSON.stringify(
          Object.fromEntries(specs.map(({ prefix, spec }) => [prefix, canonicalSpecJSON(spec)])),
          null,
          2,
        ),
      );
    } else {
      for (const line of blockTable(specs)) io.out(line);
    }
  }
  io.out('');
  const names = [...decoded.tensors.keys()].sort(compareNatural);
  const rows = names.map((name) => {
    const t = decoded.tensors.get(name);
    return [name, t?.dtype ?? '', formatShape(t?.shape ?? [])];
  });
  for (const line of formatTable(['tensor', 'dtype', 'shape'], rows)) io.out(line);
  return EXIT.ok;
}
