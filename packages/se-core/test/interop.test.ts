// safetensors interoperability, both directions:
// (a) files written by our TypeScript codec are parsed by numpy
//     (scripts/check_safetensors_interop.py, which shares no code with us);
// (b) files written by Python (the golden cases of scripts/make_golden.py) are
//     read by decodeGoldenCase, and agree with what numpy reads from them.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  canonicalSpecJSON,
  decodeGoldenCase,
  decodeSEBundle,
  decodeSEWeights,
  defineSESpec,
  encodeGoldenCase,
  encodeSEBundle,
  encodeSEWeights,
  type FloatDType,
  FORMAT_NAME,
  METADATA,
  type SEBlock,
  type SESpec,
  type SEWeights,
  weightSlots,
} from '../src/index.js';

/** Debian's python3 with numpy; SE_INTEROP_PYTHON overrides it (e.g. to check the skip path). */
const PYTHON = process.env.SE_INTEROP_PYTHON ?? '/usr/bin/python3';
const CHECKER = fileURLToPath(new URL('../scripts/check_safetensors_interop.py', import.meta.url));
const GOLDEN_DIR = fileURLToPath(new URL('../golden/', import.meta.url));
/** Python start-up plus numpy on ~3 MB of golden data: seconds on a busy 2-core machine. */
const PYTHON_TIMEOUT = 60_000;

/** Why the numpy side cannot run here, or undefined when it can. */
function numpyUnavailable(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} does not exist`;
  const probe = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    const last = (probe.stderr ?? String(probe.error)).trim().split('\n').pop();
    return `${PYTHON} cannot import numpy (${last})`;
  }
  return undefined;
}

const skipReason = numpyUnavailable();
if (skipReason) console.warn(`interop: skipping the numpy-side checks: ${skipReason}`);
const noNumpy = skipReason !== undefined;

interface PyTensor {
  readonly dtype: FloatDType;
  readonly shape: number[];
  readonly values: number[];
  readonly asF16?: number[];
}
interface PyFile {
  readonly path: string;
  readonly headerLength: number;
  readonly metadata: Record<string, string>;
  readonly tensors: Record<string, PyTensor>;
}

/** Runs the numpy reader on `paths` and returns what it parsed. */
function readWithNumpy(paths: readonly string[], f16Rounding = false): PyFile[] {
  const args = [CHECKER, ...(f16Rounding ? ['--f16-rounding'] : []), ...paths];
  const run = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`numpy reader failed (${run.status}): ${run.stderr}`);
  // NaN and ±Infinity come as strings (JSON has no such numbers): Number() reads them back.
  const files = (JSON.parse(run.stdout) as { files: PyFile[] }).files;
  for (const file of files) {
    for (const tensor of Object.values(file.tensors) as {
      values: unknown[];
      asF16?: unknown[];
    }[]) {
      tensor.values = tensor.values.map(Number);
      if (tensor.asF16) tensor.asF16 = tensor.asF16.map(Number);
    }
  }
  return files;
}

/** Deterministic values in [-2, 2) (a small LCG: the test must not depend on Math.random). */
function pseudoRandom(count: number, seed: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32) * 4 - 2;
  });
}

// float32 inputs whose float16 rounding is known by hand (ties go to even).
const F16_CASES: readonly (readonly [number, number])[] = [
  [1 + 2 ** -11, 1], // halfway between 1 and 1 + 2^-10: even is 1
  [1 + 3 * 2 ** -11, 1 + 2 ** -9], // halfway: even is 1 + 2^-9
  [-(1 + 2 ** -11), -1],
  [2 ** -25, 0], // halfway between 0 and the smallest subnormal
  [3 * 2 ** -25, 2 ** -23], // subnormal tie, to even
  [2 ** -24, 2 ** -24], // smallest subnormal, exact
  [65504, 65504], // largest finite half, exact
  [0.1, 0.0999755859375],
];

function blockWith(
  spec: SESpec,
  seed: number,
  make: (v: number[]) => Float32Array | Float64Array,
): SEBlock {
  const weights: SEWeights = Object.fromEntries(
    weightSlots(spec)
      .filter((slot) => slot.present)
      .map((slot, i) => [
        slot.key,
        make(
          pseudoRandom(
            slot.shape.reduce((a, b) => a * b, 1),
            seed + i,
          ),
        ),
      ]),
  );
  return { spec, weights };
}

const specA = defineSESpec({
  version: 1,
  channels: 8,
  reducedChannels: 3,
  squeeze: 'avgmax',
  activation: 'silu',
  gate: { type: 'hardsigmoid', alpha: 0.2, beta: 0.5 },
  bias: true,
  gain: 2,
});
const specB = defineSESpec({
  version: 1,
  channels: 4,
  reducedChannels: 8,
  squeeze: 'max',
  activation: 'gelu',
  gate: { type: 'sigmoid' },
  bias: false,
});

const specC = defineSESpec({
  version: 2,
  channels: 5,
  squeeze: 'avgmax',
  excitation: { kind: 'ese', bias: true },
  gate: { type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 },
});

const blockA = blockWith(specA, 11, (v) => Float32Array.from(v));
F16_CASES.forEach(([input], i) => {
  (blockA.weights.fc1Weight as Float32Array)[i] = input;
});
const blockB = blockWith(specB, 23, (v) => Float32Array.from(v));
const blockC = blockWith(specC, 31, (v) => Float32Array.from(v));
// Float64 weights that float32 cannot hold: an F64 file must keep every bit.
const blockA64 = blockWith(specA, 37, (v) => Float64Array.from(v, (x) => x / 3));

/** Canonical tensors of a block under `prefix`, as name → values (the kind's slots). */
function tensorsOf(block: SEBlock, prefix = ''): Record<string, ArrayLike<number>> {
  const p = prefix ? `${prefix}.` : '';
  return Object.fromEntries(
    weightSlots(block.spec)
      .filter((slot) => slot.present)
      .map((slot) => [`${p}${slot.tensor}`, block.weights[slot.key] as ArrayLike<number>]),
  );
}

/**
 * Where two sequences first differ (Object.is, so -0 and 0 differ), or -1.
 * A plain loop: toEqual on a 2 MB array takes seconds.
 */
function firstDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) if (!Object.is(actual[i], expected[i])) return i;
  return actual.length === expected.length ? -1 : n;
}

function expectIdentical(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) {
  const at = firstDifference(actual, expected);
  const detail = `${what}: first difference at [${at}]: ${actual[at]} vs ${expected[at]} (lengths ${actual.length}, ${expected.length})`;
  expect(at, detail).toBe(-1);
}

/** The file holds exactly these tensors, with these values (bit-exact); dtype per name or for all. */
function expectSameTensors(
  file: PyFile,
  expected: Record<string, ArrayLike<number>>,
  dtype: FloatDType | ((name: string) => FloatDType),
) {
  expect(Object.keys(file.tensors).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, values] of Object.entries(expected)) {
    const tensor = file.tensors[name] as PyTensor;
    expect(tensor.dtype, name).toBe(typeof dtype === 'function' ? dtype(name) : dtype);
    expectIdentical(tensor.values, values, `${file.path} ${name}`);
  }
}

describe('files written by TypeScript, parsed by numpy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-interop-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, bytes: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it.skipIf(noNumpy)(
    'single block in F32 and F64: every value bit-exact, spec in metadata',
    () => {
      const paths = [
        write('a32.safetensors', encodeSEWeights(blockA)),
        write('a64.safetensors', encodeSEWeights(blockA64, { dtype: 'F64' })),
      ];
      const [f32, f64] = readWithNumpy(paths) as [PyFile, PyFile];
      for (const [file, block, dtype] of [
        [f32, blockA, 'F32'],
        [f64, blockA64, 'F64'],
      ] as const) {
        expect(file.headerLength % 8).toBe(0);
        expect(file.metadata[METADATA.format]).toBe(FORMAT_NAME);
        expect(JSON.parse(file.metadata[METADATA.spec] as string)).toEqual(
          canonicalSpecJSON(block.spec),
        );
        expectSameTensors(file, tensorsOf(block), dtype);
        const { reducedChannels: rd } = specA.excitation;
        expect(file.tensors['fc1.weight']?.shape).toEqual([rd, specA.channels]);
        expect(file.tensors['fc2.weight']?.shape).toEqual([specA.channels, rd]);
      }
    },
    PYTHON_TIMEOUT,
  );

  it.skipIf(noNumpy)(
    'single block in F16: numpy reads the values TypeScript rounded, and rounds the same way',
    () => {
      const bytes = encodeSEWeights(blockA, { dtype: 'F16' });
      const paths = [
        write('a16.safetensors', bytes),
        write('a32-again.safetensors', encodeSEWeights(blockA)),
      ];
      const [f16, f32] = readWithNumpy(paths, true) as [PyFile, PyFile];
      const ours = decodeSEWeights(bytes);
      expectSameTensors(f16, tensorsOf(ours), 'F16');
      // numpy's own float32 → float16 rounding of the same weights.
      for (const [name, tensor] of Object.entries(f16.tensors)) {
        expectIdentical(tensor.values, f32.tensors[name]?.asF16 ?? [], `numpy float16(${name})`);
      }
      F16_CASES.forEach(([input, expected], i) => {
        expect(f16.tensors['fc1.weight']?.values[i], `float16(${input})`).toBe(expected);
      });
    },

    PYTHON_TIMEOUT,
  );

  it.skipIf(noNumpy)(
    'bundle in F32 and F16: prefixed tensors and the se.blocks map',
    () => {
      const blocks = {
        'layer1.0.se': blockA,
        'stages.2/blocks:1-se': blockB,
        'stages.3.attn': blockC,
      };
      const paths = [
        write('b32.safetensors', encodeSEBundle(blocks)),
        write('b16.safetensors', encodeSEBundle(blocks, { dtype: 'F16' })),
      ];
      const [b32, b16] = readWithNumpy(paths) as [PyFile, PyFile];
      for (const file of [b32, b16]) {
        expect(file.metadata[METADATA.format]).toBe(FORMAT_NAME);
        expect(file.metadata[METADATA.spec]).toBeUndefined();
        expect(JSON.parse(file.metadata[METADATA.blocks] as string)).toEqual({
          'layer1.0.se': canonicalSpecJSON(specA),
          'stages.2/blocks:1-se': canonicalSpecJSON(specB),
          'stages.3.attn': canonicalSpecJSON(specC),
        });
      }
      expectSameTensors(
        b32,
        {
          ...tensorsOf(blockA, 'layer1.0.se'),
          ...tensorsOf(blockB, 'stages.2/blocks:1-se'),
          ...tensorsOf(blockC, 'stages.3.attn'),
        },
        'F32',
      );
      const ours16 = decodeSEBundle(readFileSync(paths[1] as string));
      const expected16 = [...ours16].reduce(
        (all, [prefix, block]) => Object.assign(all, tensorsOf(block, prefix)),
        {},
      );
      expectSameTensors(b16, expected16, 'F16');
    },
    PYTHON_TIMEOUT,
  );
});

describe('files written by Python (golden cases), read by TypeScript', () => {
  const index = JSON.parse(readFileSync(join(GOLDEN_DIR, 'index.json'), 'utf8')) as {
    cases: { name: string; file: string }[];
  };
  const paths = index.cases.map((c) => join(GOLDEN_DIR, c.file));

  it('decodeGoldenCase reads every file, and re-encoding gives the same bytes', () => {
    for (const path of paths) {
      const bytes = new Uint8Array(readFileSync(path));
      const golden = decodeGoldenCase(bytes);
      // Both writers produce the canonical form (sorted names, compact JSON, space padding).
      expectIdentical(encodeGoldenCase(golden), bytes, path);
    }
  });

  it.skipIf(noNumpy)(
    'TypeScript and numpy read the same values and metadata',
    () => {
      const files = readWithNumpy(paths);
      for (const file of files) {
        const golden = decodeGoldenCase(new Uint8Array(readFileSync(file.path)));
        expect(golden.info.name).toBe(
          JSON.parse(file.metadata[METADATA.goldenCase] as string).name,
        );
        expect(JSON.parse(file.metadata[METADATA.spec] as string)).toEqual(
          canonicalSpecJSON(golden.block.spec),
        );
        expect(file.tensors.x?.shape).toEqual([...golden.shape]);
        const expected = { ...tensorsOf(golden.block), x: golden.x, y: golden.y };
        expectSameTensors(file, expected, (name) => (name === 'y' ? 'F64' : 'F32'));
      }
    },
    PYTHON_TIMEOUT,
  );
});
