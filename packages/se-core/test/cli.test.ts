// The CLI as a user runs it: `node dist/cli/main.js …` (build first), checking
// exit codes (0 ok, 1 failure, 2 usage), one-line errors and the tables.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeSafetensors,
  decodeSEBundle,
  encodeGoldenCase,
  encodeSafetensors,
  importSEBlocks,
  type SEBlockInput,
  seReference,
} from '../src/index.js';
import { FIXTURE_DIR, FIXTURES } from './fixtures/import/load.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(PACKAGE_DIR, 'dist', 'cli', 'main.js');
const fixture = (file: string) => fileURLToPath(new URL(file, FIXTURE_DIR));
const fixtureCase = (name: string) => {
  const found = FIXTURES.cases.find((c) => c.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
};

let dir: string;
beforeAll(() => {
  if (!existsSync(MAIN)) {
    throw new Error(
      `${MAIN} is missing: run "pnpm --filter @seblock/se-core build" before the CLI tests`,
    );
  }
  dir = mkdtempSync(join(tmpdir(), 'se-core-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const block: SEBlockInput = {
  spec: {
    version: 1,
    channels: 4,
    reducedChannels: 2,
    squeeze: 'avg',
    activation: 'silu',
    gate: { type: 'sigmoid' },
    bias: true,
    gain: 1,
  },
  weights: {
    fc1Weight: new Float32Array([0.1, 0.2, 0.3, 0.4, -0.5, 0.6, -0.7, 0.8]),
    fc1Bias: new Float32Array([0.5, -0.5]),
    fc2Weight: new Float32Array([0.8, -0.7, 0.6, 0.5, -0.4, 0.3, 0.2, 0.1]),
    fc2Bias: new Float32Array([0.1, 0.2, 0.3, 0.4]),
  },
};

describe('se-core CLI: general', () => {
  it('--help lists the commands, exit 0', () => {
    const { code, stdout } = cli('--help');
    expect(code).toBe(0);
    for (const command of ['import', 'inspect', 'export', 'verify-golden'])
      expect(stdout).toContain(command);
  });

  it('no command or an unknown one is a usage error, exit 2', () => {
    expect(cli().code).toBe(2);
    const { code, stderr } = cli('frobnicate');
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "frobnicate"');
  });

  it('prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8'));
    expect(cli('--version').stdout.trim()).toBe(pkg.version);
  });

  it.each(['import', 'inspect', 'export', 'verify-golden'])('%s --help, exit 0', (command) => {
    const { code, stdout } = cli(command, '--help');
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: se-core ${command}`);
    expect(cli('help', command).stdout).toBe(stdout);
  });
});

describe('se-core import', () => {
  it('prints the summary table of the blocks found', () => {
    const { code, stdout, stderr } = cli(
      'import',
      fixture('torchvision-mobilenetv3.safetensors'),
      '--preset',
      'torchvision-mobilenetv3',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^prefix\s+C\s+kind\s+excitation\s+gate\s+squeeze\s+gain\s+params$/);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^features\.10\.block\.2\s+88\s+mlp\s+rd 24, relu, bias\s+hardsigmoid\(1\/6, 0\.5\)\s+avg\s+1\s+4336$/,
      ),
    );
    // Natural module order: features.10 after features.9.
    expect(stdout.indexOf('features.9.')).toBeLessThan(stdout.indexOf('features.10.'));
    expect(stdout).toContain('9 SE block(s)');
    expect(stdout).toContain(
      `${fixtureCase('torchvision-mobilenetv3').ignored.length} other tensor(s) ignored`,
    );
  });

  it('writes a bundle with -o that holds exactly what the importer found', () => {
    const out = join(dir, 'timm.safetensors');
    const { code, stdout } = cli(
      'import',
      fixture('timm-seresnet.safetensors'),
      '--preset',
      'timm-seresnet',
      '--squeeze',
      'avgmax',
      '-o',
      out,
    );
    expect(code).toBe(0);
    expect(stdout).toContain(`wrote ${out}`);
    const expected = importSEBlocks(
      new Uint8Array(readFileSync(fixture('timm-seresnet.safetensors'))),
      {
        preset: 'timm-seresnet',
        squeeze: 'avgmax',
      },
    ).blocks;
    expect(decodeSEBundle(new Uint8Array(readFileSync(out)))).toEqual(expected);
  });

  it('takes activation and gate flags instead of a preset', () => {
    const { code, stdout } = cli(
      'import',
      fixture('keras-mobilenetv3.safetensors'),
      '--convention',
      'keras-squeeze-excite',
      '--activation',
      'relu',
      '--gate',
      'hardsigmoid:0.2:0.5',
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /expanded_conv_3\s+48\s+mlp\s+rd 16, relu, bias\s+hardsigmoid\(0\.2, 0\.5\)/,
    );
  });

  it('--json prints the report', () => {
    const { code, stdout } = cli(
      'import',
      fixture('moskomule.safetensors'),
      '--preset',
      'moskomule',
      '--json',
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.blocks.map((b: { prefix: string }) => b.prefix)).toEqual([
      'layer1.0.se',
      'layer2.0.se',
    ]);
    expect(report.ignoredTensors).toEqual(fixtureCase('moskomule').ignored);
  });

  it('usage errors exit 2: unknown preset, unknown flag, bare hardsigmoid, missing file argument', () => {
    const preset = cli('import', fixture('moskomule.safetensors'), '--preset', 'resnet');
    expect(preset.code).toBe(2);
    expect(preset.stderr.split('\n')[0]).toMatch(
      /^se-core import: --preset: expected one of timm-seresnet, .*received "resnet"$/,
    );
    expect(cli('import', fixture('moskomule.safetensors'), '--frob').code).toBe(2);
    const gate = cli(
      'import',
      fixture('moskomule.safetensors'),
      '--activation',
      'relu',
      '--gate',
      'hardsigmoid',
    );
    expect(gate.code).toBe(2);
    expect(gate.stderr).toContain('no bare "hardsigmoid"');
    expect(cli('import').code).toBe(2);
    expect(cli('import', 'a', 'b').code).toBe(2);
  });

  it('failures exit 1 with the typed error on one line, and write nothing', () => {
    const broken = join(dir, 'broken.safetensors');
    writeFileSync(
      broken,
      encodeSafetensors({
        'layer1.0.se.fc1.weight': { shape: [2, 8, 1, 1], values: new Float32Array(16) },
        'layer1.0.se.fc2.weight': { shape: [8, 4, 1, 1], values: new Float32Array(32) },
      }),
    );
    const out = join(dir, 'never.safetensors');
    const { code, stdout, stderr } = cli('import', broken, '--preset', 'timm-seresnet', '-o', out);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      'se-core import: SEImportError: tensor layer1.0.se.fc2.weight.shape: expected [8, 2, 1, 1] to match layer1.0.se.fc1.weight [2, 8, 1, 1] (C = 8, reducedChannels = 2), received [8, 4, 1, 1]',
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it('a missing file or no activation exit 1', () => {
    const missing = cli('import', join(dir, 'nope.safetensors'), '--preset', 'moskomule');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^se-core import: ENOENT: no such file or directory/);
    const noAct = cli('import', fixture('moskomule.safetensors'));
    expect(noAct.code).toBe(1);
    expect(noAct.stderr).toMatch(
      /^se-core import: SEImportError: options\.activation: expected one of relu/,
    );
  });
});

describe('se-core import: excitation kinds other than mlp', () => {
  const kindFixture = (file: string) =>
    fileURLToPath(new URL(`./fixtures/kinds/${file}`, import.meta.url));

  it('--preset timm-ese finds the ESE blocks of a VoVNet and shows their kind', () => {
    const { code, stdout, stderr } = cli(
      'import',
      kindFixture('timm-ese-vovnet.safetensors'),
      '--preset',
      'timm-ese',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^stages\.1\.blocks\.0\.attn\s+24\s+ese\s+C×C, bias\s+hardsigmoid\(1\/6, 0\.5\)\s+avg\s+1\s+600$/m,
    );
    expect(stdout).toContain('2 SE block(s)');
  });

  it('--kind and --gate instead of a preset; warnings are printed', () => {
    const ese = cli(
      'import',
      kindFixture('timm-hgnet.safetensors'),
      '--kind',
      'ese',
      '--gate',
      'sigmoid',
    );
    expect(ese.code).toBe(0);
    expect(ese.stdout).toContain('3 SE block(s)');
    expect(ese.stdout).toContain('convention timm-hgnet-ese');
    const cbam = cli(
      'import',
      kindFixture('timm-cbam-resnet.safetensors'),
      '--preset',
      'timm-cbam',
    );
    expect(cbam.stdout).toMatch(/^layer2\.0\.se\s+48\s+cbam\s+rd 3, relu\s+sigmoid\s+avg\+max/m);
    expect(cbam.stdout).toMatch(/^warning: block "layer1\.0\.se": only the channel attention/m);
  });

  it('refuses an unknown --kind and a --channels that is no count (exit 2)', () => {
    const file = kindFixture('timm-hgnet.safetensors');
    expect(cli('import', file, '--kind', 'se').stderr).toContain('--kind: expected one of mlp');
    expect(cli('import', file, '--kind', 'ese', '--channels', '2.5').code).toBe(2);
  });

  it('inspect lists SE-like tensors of every kind, with the kind', () => {
    const { stdout } = cli('inspect', kindFixture('timm-ese-vovnet.safetensors'));
    expect(stdout).toContain(
      'SE-like tensors in convention timm-ese (kind ese): 2 (stages.0.blocks.1.attn, stages.1.blocks.0.attn)',
    );
    expect(stdout).not.toContain('convention fc1-fc2');
  });
});

describe('se-core inspect', () => {
  it('on a state_dict: the SE-like tensors and every tensor', () => {
    const { code, stdout } = cli('inspect', fixture('cadene-senet.safetensors'));
    expect(code).toBe(0);
    expect(stdout).toContain(
      'SE-like tensors in convention fc1-fc2 (kind mlp): 2 (layer1.0.se_module, layer2.0.se_module)',
    );
    expect(stdout).toMatch(/layer1\.0\.se_module\.fc1\.weight\s+F32\s+\[4, 64, 1, 1\]/);
  });

  it('on a bundle: the specs as a table or JSON', () => {
    const out = join(dir, 'inspect-bundle.safetensors');
    expect(
      cli('import', fixture('cadene-senet.safetensors'), '--preset', 'cadene-senet', '-o', out)
        .code,
    ).toBe(0);
    const { code, stdout } = cli('inspect', out);
    expect(code).toBe(0);
    expect(stdout).toContain('SE bundle');
    expect(stdout).toMatch(/layer2\.0\.se_module\s+128\s+mlp\s+rd 8, relu, bias\s+sigmoid/);
    const json = cli('inspect', out, '--json');
    expect(json.stdout).toContain('"reducedChannels": 8');
  });

  it('on a golden case: name, shape and spec', () => {
    const path = join(dir, 'case.safetensors');
    writeFileSync(path, goldenBytes('inspected', 0));
    const { code, stdout } = cli('inspect', path);
    expect(code).toBe(0);
    expect(stdout).toContain('SE golden case');
    expect(stdout).toContain('case inspected');
    expect(stdout).toContain('x [1, 4, 2, 1] NCHW, y F64');
  });

  it('on a file that is not safetensors: exit 1, one line', () => {
    const path = join(dir, 'junk.bin');
    writeFileSync(path, 'not a safetensors file at all');
    const { code, stderr } = cli('inspect', path);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^se-core inspect: SEWeightFormatError: header length/);
  });
});

describe('se-core export', () => {
  it('writes a bundle in another convention that imports back to the same blocks', () => {
    const bundle = join(dir, 'export-src.safetensors');
    expect(
      cli(
        'import',
        fixture('torchvision-efficientnet.safetensors'),
        '--preset',
        'torchvision-efficientnet',
        '-o',
        bundle,
      ).code,
    ).toBe(0);
    const out = join(dir, 'keras.safetensors');
    const { code, stdout } = cli(
      'export',
      bundle,
      '--convention',
      'keras-se-reduce-expand',
      '-o',
      out,
    );
    expect(code).toBe(0);
    const blocks = Object.keys(fixtureCase('torchvision-efficientnet').blocks).length;
    expect(stdout).toContain(`${blocks} block(s) in convention keras-se-reduce-expand`);
    const bytes = new Uint8Array(readFileSync(out));
    expect(
      decodeSafetensors(bytes).tensors.get('features.1.0.block.1_se_reduce/kernel')?.shape,
    ).toEqual([1, 1, 8, 2]);
    expect(importSEBlocks(bytes).blocks).toEqual(
      decodeSEBundle(new Uint8Array(readFileSync(bundle))),
    );
  });

  it('requires --convention and -o (exit 2)', () => {
    expect(cli('export', 'x.safetensors', '-o', 'y').code).toBe(2);
    expect(cli('export', 'x.safetensors', '--convention', 'fc1-fc2').code).toBe(2);
    expect(cli('export', 'x.safetensors', '--convention', 'tf', '-o', 'y').code).toBe(2);
  });
});

/** A golden case for `block` whose y is the reference times (1 + relativeError). */
function goldenBytes(name: string, relativeError: number): Uint8Array {
  const x = new Float32Array([1, -2, 3, 4, 0.5, 6, -7, 8]);
  const y = seReference(block.spec, block.weights, x, [1, 4, 2, 1]).map(
    (v) => v * (1 + relativeError),
  );
  return encodeGoldenCase({ info: { name }, block, shape: [1, 4, 2, 1], x, y });
}

describe('se-core verify-golden', () => {
  it('passes a directory of matching cases, printing the table (exit 0)', () => {
    const golden = mkdtempSync(join(dir, 'golden-ok-'));
    writeFileSync(join(golden, 'a.safetensors'), goldenBytes('a', 0));
    writeFileSync(join(golden, 'b.safetensors'), goldenBytes('b', 1e-14));
    const { code, stdout } = cli('verify-golden', golden);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^case\s+shape\s+y\s+max rel err\s+tolerance\s+result$/);
    expect(stdout).toMatch(/^a\s+\[1, 4, 2, 1\]\s+F64\s+0\s+1e-12\s+ok$/m);
    expect(stdout).toMatch(/^b\s+\[1, 4, 2, 1\]\s+F64\s+1\.0e-14\s+1e-12\s+ok$/m);
    expect(stdout).toContain('2/2 golden case(s) pass');
  });

  it('fails (exit 1) when a case is off by more than 1e-12 relative or does not decode', () => {
    const golden = mkdtempSync(join(dir, 'golden-bad-'));
    writeFileSync(join(golden, 'good.safetensors'), goldenBytes('good', 0));
    writeFileSync(join(golden, 'off.safetensors'), goldenBytes('off', 1e-10));
    writeFileSync(join(golden, 'junk.safetensors'), 'junk');
    const { code, stdout } = cli('verify-golden', golden);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^off\s.*1\.0e-10\s+1e-12\s+FAIL$/m);
    expect(stdout).toMatch(/^junk\s.*FAIL SEWeightFormatError: file: expected at least 8 bytes/m);
    expect(stdout).toContain('1/3 golden case(s) pass');
  });

  it('fails (exit 1) on a missing or empty directory: nothing verified is not a pass', () => {
    const missing = cli('verify-golden', join(dir, 'no-such-dir'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no golden directory at');
    const empty = mkdtempSync(join(dir, 'golden-empty-'));
    expect(cli('verify-golden', empty).code).toBe(1);
  });

  // The package's own golden/ (written by scripts/make_golden.py) may not exist in every checkout.
  it.skipIf(!existsSync(join(PACKAGE_DIR, 'golden')))(
    'passes on the package golden/ directory by default',
    () => {
      const { code, stdout } = cli('verify-golden');
      expect(code).toBe(0);
      expect(stdout).toMatch(/(\d+)\/\1 golden case\(s\) pass/);
    },
  );
});

describe('package entries', () => {
  it('@seblock/se-core/node resolves to the built Node entry', () => {
    const script =
      "import('@seblock/se-core/node').then((m) => console.log(Object.keys(m).sort().join(',')))";
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: PACKAGE_DIR,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('readSEWeightsFile');
    expect(result.stdout).toContain('listGoldenCases');
  });

  it('the main entry and import/ stay free of Node built-ins (they run in browsers)', () => {
    const importDir = join(PACKAGE_DIR, 'dist', 'import');
    for (const file of readdirSync(importDir).filter((f) => f.endsWith('.js'))) {
      expect(readFileSync(join(importDir, file), 'utf8'), file).not.toMatch(/from ['"]node:/);
    }
    expect(readFileSync(join(PACKAGE_DIR, 'dist', 'index.js'), 'utf8')).not.toMatch(/node\//);
  });
});
