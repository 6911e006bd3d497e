import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  encodeGoldenCase,
  type SEBlock,
  SEShapeError,
  SESpecError,
  SEWeightFormatError,
} from '../src/index.js';
import {
  DEFAULT_GOLDEN_DIR,
  importSEBlocksFromFile,
  listGoldenCases,
  readGoldenCaseFile,
  readSEBundleFile,
  readSEWeightsFile,
  writeFileAtomic,
  writeSEBundleFile,
  writeSEWeightsFile,
} from '../src/node/index.js';
import { FIXTURE_DIR } from './fixtures/import/load.js';

const block: SEBlock = {
  spec: {
    version: 2,
    channels: 4,
    squeeze: 'avg',
    excitation: { kind: 'mlp', reducedChannels: 2, activation: 'relu', bias: true },
    gate: { type: 'sigmoid' },
    gain: 1,
  },
  weights: {
    fc1Weight: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]),
    fc1Bias: new Float32Array([0.5, -0.5]),
    fc2Weight: new Float32Array([8, 7, 6, 5, 4, 3, 2, 1]),
    fc2Bias: new Float32Array([1, 2, 3, 4]),
  },
};
/** fc2Weight one value short: encoding must refuse it before touching the disk. */
const broken: SEBlock = { ...block, weights: { ...block.weights, fc2Weight: new Float32Array(7) } };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'se-core-node-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('weight files', () => {
  it('write then read a single block, accepting a path or a file: URL', async () => {
    const path = join(dir, 'se.safetensors');
    await writeSEWeightsFile(path, block);
    expect(await readSEWeightsFile(path)).toEqual(block);
    expect(await readSEWeightsFile(new URL(`file://${path}`))).toEqual(block);
  });

  it('write then read a bundle', async () => {
    const path = join(dir, 'bundle.safetensors');
    const blocks = new Map([
      ['layer1.0.se', block],
      ['layer2.0.se', block],
    ]);
    await writeSEBundleFile(path, blocks);
    expect(await readSEBundleFile(path)).toEqual(blocks);
  });

  it('write a bare module (prefix "") as a single-block file', async () => {
    const path = join(dir, 'bare.safetensors');
    await writeSEBundleFile(path, new Map([['', block]]));
    expect(await readSEWeightsFile(path)).toEqual(block);
    // A bare module beside prefixed ones is a bundle like any other, and round-trips.
    const mixed = new Map([
      ['', block],
      ['a', block],
    ]);
    await writeSEBundleFile(join(dir, 'mixed.safetensors'), mixed);
    expect(await readSEBundleFile(join(dir, 'mixed.safetensors'))).toEqual(mixed);
  });

  it('import from a file', async () => {
    const { blocks } = await importSEBlocksFromFile(new URL('moskomule.safetensors', FIXTURE_DIR), {
      preset: 'moskomule',
    });
    expect([...blocks.keys()]).toEqual(['layer1.0.se', 'layer2.0.se']);
  });
});

describe('atomic writes', () => {
  it('create no file when validation fails', async () => {
    await expect(writeSEWeightsFile(join(dir, 'se.safetensors'), broken)).rejects.toBeInstanceOf(
      SEShapeError,
    );
    await expect(
      writeSEBundleFile(join(dir, 'b.safetensors'), new Map([['a', broken]])),
    ).rejects.toBeInstanceOf(SEShapeError);
    const badSpec = {
      ...block,
      spec: { ...block.spec, activation: 'swish' },
    } as unknown as SEBlock;
    await expect(writeSEWeightsFile(join(dir, 'c.safetensors'), badSpec)).rejects.toBeInstanceOf(
      SESpecError,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('leave an existing file untouched when validation fails', async () => {
    const path = join(dir, 'se.safetensors');
    await writeSEWeightsFile(path, block);
    const before = await readFile(path);
    await expect(writeSEWeightsFile(path, broken)).rejects.toThrow();
    expect(await readFile(path)).toEqual(before);
    expect(await readdir(dir)).toEqual(['se.safetensors']);
  });

  it('replace an existing file whole, leaving no temporary file', async () => {
    const path = join(dir, 'out.bin');
    await writeFile(path, 'old');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...(await readFile(path))]).toEqual([1, 2, 3]);
    expect(await readdir(dir)).toEqual(['out.bin']);
  });

  it('fail on a missing directory without creating it', async () => {
    const path = join(dir, 'missing', 'out.bin');
    await expect(writeFileAtomic(path, new Uint8Array([1]))).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('clean up the temporary file when the rename fails', async () => {
    // A directory in the target's place makes rename fail after the data is written.
    const path = join(dir, 'taken');
    await mkdir(join(path, 'child'), { recursive: true });
    await expect(writeFileAtomic(path, new Uint8Array([1]))).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['taken']);
  });
});

describe('golden cases', () => {
  const golden = (name: string) =>
    encodeGoldenCase({
      info: { name, source: 'test' },
      block,
      shape: [1, 4, 1, 2],
      x: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]),
      y: new Float64Array(8),
    });

  it('read a case file', async () => {
    const path = join(dir, 'a.safetensors');
    await writeFile(path, golden('a'));
    const read = await readGoldenCaseFile(path);
    expect(read.info.name).toBe('a');
    expect(read.shape).toEqual([1, 4, 1, 2]);
  });

  it('list the files named by index.json ({ "cases": [{ name, file }] }, as golden/ has)', async () => {
    await writeFile(
      join(dir, 'index.json'),
      JSON.stringify({
        format: 'seblock/1',
        cases: [
          { name: 'second', file: 'b.safetensors' },
          { name: 'first', file: 'a.safetensors' },
        ],
      }),
    );
    expect(await listGoldenCases(dir)).toEqual([
      { name: 'second', path: join(dir, 'b.safetensors') },
      { name: 'first', path: join(dir, 'a.safetensors') },
    ]);
  });

  it('list a bare array of file names too', async () => {
    await writeFile(join(dir, 'index.json'), JSON.stringify(['a.safetensors']));
    expect(await listGoldenCases(dir)).toEqual([{ name: 'a', path: join(dir, 'a.safetensors') }]);
  });

  it('without index.json, list every .safetensors file, sorted', async () => {
    await writeFile(join(dir, 'b.safetensors'), golden('b'));
    await writeFile(join(dir, 'a.safetensors'), golden('a'));
    await writeFile(join(dir, 'notes.txt'), 'x');
    expect((await listGoldenCases(dir)).map((c) => c.name)).toEqual(['a', 'b']);
  });

  it('refuse a malformed index or one pointing outside its directory', async () => {
    await writeFile(join(dir, 'index.json'), '{ nope');
    await expect(listGoldenCases(dir)).rejects.toBeInstanceOf(SEWeightFormatError);
    await writeFile(join(dir, 'index.json'), JSON.stringify({ cases: 3 }));
    await expect(listGoldenCases(dir)).rejects.toThrow(/expected an array of cases/);
    await writeFile(join(dir, 'index.json'), JSON.stringify(['../../etc/passwd']));
    await expect(listGoldenCases(dir)).rejects.toThrow(/expected a path inside/);
  });

  it('reject a missing directory with ENOENT', async () => {
    await expect(listGoldenCases(join(dir, 'none'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('default to the package golden/ directory', () => {
    expect(DEFAULT_GOLDEN_DIR.replace(/[\\/]$/, '')).toBe(
      new URL('../golden', import.meta.url).pathname.replace(/[\\/]$/, ''),
    );
  });

  // golden/ is generated by scripts/make_golden.py; a checkout may not have it yet.
  it.skipIf(!existsSync(DEFAULT_GOLDEN_DIR))(
    'read every case listed in the package golden/ directory',
    async () => {
      const cases = await listGoldenCases();
      expect(cases.length).toBeGreaterThan(0);
      for (const entry of cases) {
        const read = await readGoldenCaseFile(entry.path);
        expect(read.info.name).toBe(entry.name);
      }
    },
  );
});
