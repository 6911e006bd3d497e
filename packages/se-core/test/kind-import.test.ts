// The importer on state_dicts of small models built with timm's module names
// (scripts/make_kind_fixtures.py), for the kinds other than mlp: the blocks
// found, their specs, the tensors left alone, and PyTorch's own output.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { worstGap } from '../src/golden/gap.js';
import {
  decodeSafetensors,
  IMPORT_PRESET_NAMES,
  type ImportPresetName,
  importSEBlocks,
  SEImportError,
  seReference,
} from '../src/index.js';
import { FIXTURES } from './fixtures/import/load.js';

const DIR = new URL('./fixtures/kinds/', import.meta.url);
/** PyTorch computes y in float64 from the same float32 weights and x: only summation order differs. */
const TOLERANCE = 1e-12;

interface KindFixture {
  readonly name: string;
  readonly file: string;
  readonly expected: string;
  readonly preset: ImportPresetName;
  readonly blocks: Readonly<Record<string, unknown>>;
  readonly ignored: readonly string[];
}

const KIND_FIXTURES: { cases: KindFixture[] } = JSON.parse(
  readFileSync(new URL('index.json', DIR), 'utf8'),
);
const bytesOf = (file: string) => new Uint8Array(readFileSync(new URL(file, DIR)));
const caseNamed = (name: string) => {
  const found = KIND_FIXTURES.cases.find((c) => c.name === name);
  if (!found) throw new Error(`fixture ${name} missing from fixtures/kinds/index.json`);
  return found;
};

describe('every import preset has a fixture made by PyTorch', () => {
  it('here or in fixtures/import', () => {
    const covered = new Set([...FIXTURES.cases, ...KIND_FIXTURES.cases].map((c) => c.preset));
    expect(IMPORT_PRESET_NAMES.filter((p) => !covered.has(p))).toEqual([]);
  });
});

describe.each(KIND_FIXTURES.cases)('importSEBlocks on $name (preset $preset)', (c) => {
  const { blocks, report } = importSEBlocks(bytesOf(c.file), { preset: c.preset });

  it('finds exactly the attention blocks, in module order, with the specs timm builds', () => {
    expect([...blocks.keys()]).toEqual(Object.keys(c.blocks));
    for (const [prefix, spec] of Object.entries(c.blocks))
      expect(blocks.get(prefix)?.spec).toEqual(spec);
  });

  it('leaves every other tensor alone (stem, convolutions, norms, classifier head)', () => {
    expect([...report.ignoredTensors].sort()).toEqual([...c.ignored].sort());
    expect(report.skipped).toEqual([]);
  });

  it('reproduces PyTorch float64 within 1e-12 relative for every block', () => {
    const { tensors } = decodeSafetensors(bytesOf(c.expected));
    for (const [prefix, block] of blocks) {
      const x = tensors.get(`x:${prefix}`);
      const y = tensors.get(`y:${prefix}`);
      if (!x || !y) throw new Error(`${c.expected} lacks x/y for ${prefix}`);
      const ours = seReference(block.spec, block.weights, x.values, x.shape);
      expect(worstGap(ours, y.values).gap, `${c.name} ${prefix}`).toBeLessThanOrEqual(TOLERANCE);
    }
  });
});

describe('kind-specific import behaviour', () => {
  it('CBAM: imports the channel attention and warns that the spatial one is not part of it', () => {
    const { report } = importSEBlocks(bytesOf(caseNamed('timm-cbam-resnet').file), {
      preset: 'timm-cbam',
    });
    expect(report.warnings).toHaveLength(3);
    expect(report.warnings[0]).toMatch(/layer1\.0\.se.*only the channel attention.*spatial/);
    expect(report.ignoredTensors).toContain('layer1.0.se.spatial.conv.conv.weight');
  });

  it('without a preset, searches kind mlp and names the convention of another kind that fits', () => {
    const error = (() => {
      try {
        importSEBlocks(bytesOf(caseNamed('timm-ese-vovnet').file), { gate: { type: 'sigmoid' } });
      } catch (e) {
        return e as SEImportError;
      }
      throw new Error('imported an ESE model as mlp blocks');
    })();
    expect(error).toBeInstanceOf(SEImportError);
    expect(error.message).toMatch(/the names fit convention timm-ese \(kind ese\) instead/);
  });

  it('with options.kind, searches every convention of that kind', () => {
    const { report } = importSEBlocks(bytesOf(caseNamed('timm-hgnet').file), {
      kind: 'ese',
      gate: { type: 'sigmoid' },
    });
    expect(report.conventions).toEqual(['timm-ese', 'timm-hgnet-ese']);
    expect(report.blocks.map((b) => b.convention)).toEqual([
      'timm-hgnet-ese',
      'timm-hgnet-ese',
      'timm-hgnet-ese',
    ]);
  });

  it("ECA: channels come from the preset's neighbours, from options, or the import fails naming options.channels", () => {
    const bytes = bytesOf(caseNamed('timm-ecaresnet').file);
    const viaPreset = importSEBlocks(bytes, { preset: 'timm-eca' }).blocks;
    const given = { 'layer1.0.se': 32, 'layer1.1.se': 32, 'layer2.0.se': 128 };
    const viaOptions = importSEBlocks(bytes, {
      kind: 'eca',
      gate: { type: 'sigmoid' },
      channels: given,
    });
    expect(viaOptions.blocks).toEqual(viaPreset);
    expect(() => importSEBlocks(bytes, { kind: 'eca', gate: { type: 'sigmoid' } })).toThrow(
      /options.channels: expected the channel count of block "layer1.0.se"/,
    );
    // A wrong count is imported, but the preset's kernel rule notices: timm builds k = 5 for 128.
    const wrong = importSEBlocks(bytes, { preset: 'timm-eca', channels: { 'layer2.0.se': 16 } });
    expect(wrong.report.warnings).toEqual([
      'block "layer2.0.se": kernelSize 5, but timm-eca builds 3 for 16 channels (a different setting such as the reduction ratio, or the wrong preset?)',
    ]);
  });

  it("ceca: its names are eca's, so only naming it (preset, kind) reads circular ECA; hints never propose it", () => {
    const bytes = bytesOf(caseNamed('timm-cecaresnet').file);
    const asEca = importSEBlocks(bytes, { preset: 'timm-eca' }).blocks;
    const asCeca = importSEBlocks(bytes, { preset: 'timm-ceca' }).blocks;
    expect([...asEca.values()].map((b) => b.spec.excitation.kind)).toEqual(['eca', 'eca']);
    expect([...asCeca.values()].map((b) => b.spec.excitation)).toEqual([
      { kind: 'ceca', kernelSize: 3 },
      { kind: 'ceca', kernelSize: 5 },
    ]);
    expect(asCeca.get('layer2.0.se')?.weights).toEqual(asEca.get('layer2.0.se')?.weights);
    const viaKind = importSEBlocks(bytes, {
      kind: 'ceca',
      gate: { type: 'sigmoid' },
      channels: { 'layer1.0.se': 32, 'layer2.0.se': 128 },
    });
    expect(viaKind.blocks).toEqual(asCeca);
    expect(viaKind.report.conventions).toEqual(['timm-ceca']);
    // An ECA checkpoint without a preset: the hint names eca's convention, never its look-alike.
    let error: unknown;
    try {
      importSEBlocks(bytesOf(caseNamed('timm-ecaresnet').file), { gate: { type: 'sigmoid' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SEImportError);
    expect((error as Error).message).toMatch(
      /the names fit convention timm-eca \(kind eca\) instead$/,
    );
  });

  it('refuses an activation for a kind that has none', () => {
    expect(() =>
      importSEBlocks(bytesOf(caseNamed('timm-ese-vovnet').file), {
        preset: 'timm-ese',
        activation: 'relu',
      }),
    ).toThrow(/options.activation: expected no activation: excitation kind "ese"/);
  });

  it("reports what the preset's codebase builds, and warns when a block differs", () => {
    const bytes = bytesOf(caseNamed('timm-cbam-resnet').file);
    const { report } = importSEBlocks(bytes, { preset: 'timm-cbam' });
    expect(report.blocks.map((b) => b.expected)).toEqual([
      { reducedChannels: 2 },
      { reducedChannels: 2 },
      { reducedChannels: 3 },
    ]);
    // The same weights under the mlp preset of timm SEModule (make_divisible by 8): 8, not 2.
    const { tensors } = decodeSafetensors(bytes);
    const renamed = new Map(
      [...tensors].map(([name, t]) => [name.replace('.se.channel.', '.se.'), t] as const),
    );
    const asSE = importSEBlocks(renamed, { preset: 'timm-seresnet' }).report;
    expect(asSE.warnings[0]).toMatch(
      /block "layer1.0.se": reducedChannels 2, but timm-seresnet builds 8 for 32 channels/,
    );
  });
});
