// A fuzzer kept as a property test: mutated models (bytes and graph structure) × every
// operation that reads a model. Whatever the model, an operation returns a valid result or
// throws a typed SEError, within a bounded time, never modifies its input and never reads a
// file. A fixed seed keeps CI deterministic; SEBLOCK_FUZZ_SEED / SEBLOCK_FUZZ_RUNS run
// other or longer searches (a failure prints the seed and the shrunk counterexample).
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { parseSESpec, type SEBlock, SEError, validateSEWeights } from '@seblock/se-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildSEModel,
  extractSE,
  findResidualBranches,
  insertSE,
  insertSEResidual,
  type ResidualBranch,
} from '../src/index.js';
import { decodeModel } from '../src/proto/decode.js';
import { fixtureBytes } from './support/fixtures.js';
import { concatChain, externalData, nestedIfs, selfCallingFunction } from './support/hostile.js';
import {
  byteMutationArbitrary,
  mutateBytes,
  mutateStructure,
  mutationArbitrary,
  targetsOf,
} from './support/mutate.js';
import { randomBlock } from './support/random.js';

const SEED = Number(process.env.SEBLOCK_FUZZ_SEED ?? 20_251_203);
const RUNS = Number(process.env.SEBLOCK_FUZZ_RUNS ?? 300);
// A guard against blow-ups (a call on these small models takes milliseconds; the
// exponential and quadratic cases of issue 15 took seconds to forever), not a speed target.
const CALL_LIMIT_MS = 5_000;

const seeds: readonly Uint8Array[] = [
  fixtureBytes('resnet.onnx'),
  fixtureBytes('se-resnet.onnx'),
  buildSEModel(randomBlock({ channels: 8, reducedChannels: 2, squeeze: 'avgmax' }, 1)),
  buildSEModel(randomBlock({ channels: 6, reducedChannels: 3, activation: 'gelu' }, 2), {
    layout: 'NHWC',
    fullyConnected: 'gemm',
  }),
  buildSEModel(
    randomBlock(
      { channels: 4, reducedChannels: 2, gate: { type: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 } },
      3,
    ),
    {
      asFunction: true,
    },
  ),
  concatChain(6),
  selfCallingFunction(2),
  nestedIfs(3),
  externalData('/etc/passwd'),
];

const blocks = new Map<number, SEBlock>();
function blockOf(channels: number): SEBlock {
  let block = blocks.get(channels);
  if (!block) {
    block = randomBlock({ channels, reducedChannels: Math.max(1, channels >> 2) }, channels);
    blocks.set(channels, block);
  }
  return block;
}

function checkBranch(r: ResidualBranch): void {
  expect(Number.isSafeInteger(r.channels) && r.channels > 0, `channels ${r.channels}`).toBe(true);
  expect(r.branchConvs).toBeGreaterThan(r.shortcutConvs);
}

type Operation = 'insertSE' | 'insertSEResidual' | 'findResidualBranches' | 'extractSE';

/** Runs one operation and checks what a valid result is; typed errors pass through. */
function run(operation: Operation, bytes: Uint8Array, pickTarget: number, channels: number): void {
  const checkModel = (out: Uint8Array) => {
    expect(out).toBeInstanceOf(Uint8Array);
    expect(out.buffer.byteLength).toBe(out.byteLength); // owns its bytes, aliases nothing
    decodeModel(out); // and is a model this package reads back
  };
  switch (operation) {
    case 'insertSE': {
      const targets = targetsOf(bytes);
      const after = targets[pickTarget % Math.max(1, targets.length)] ?? 'x';
      checkModel(insertSE(bytes, [{ after, block: blockOf(channels) }]));
      break;
    }
    case 'insertSEResidual':
      checkModel(
        insertSEResidual(bytes, (r) => {
          checkBranch(r);
          return r.channels <= 64 ? blockOf(r.channels) : undefined;
        }),
      );
      break;
    case 'findResidualBranches':
      for (const r of findResidualBranches(bytes)) checkBranch(r);
      break;
    case 'extractSE': {
      const found = extractSE(bytes);
      expect(new Set(found.map((f) => f.name)).size).toBe(found.length);
      for (const f of found) validateSEWeights(parseSESpec(f.block.spec), f.block.weights);
      break;
    }
  }
}

// Every way Node reads a file: while an operation runs, each one records the attempt and throws.
const FS_READS = [
  'openSync',
  'readFileSync',
  'readSync',
  'open',
  'readFile',
  'createReadStream',
  'statSync',
  'existsSync',
] as const;
const PROMISE_READS = ['open', 'readFile', 'stat'] as const;
const reads: string[] = [];

/** Runs `operation` with every file read trapped (and restored after, for vitest's own reads). */
function withoutFileReads(operation: () => void): void {
  const targets = [
    ...FS_READS.map(
      (name) => [fs as unknown as Record<string, unknown>, name, `fs.${name}`] as const,
    ),
    ...PROMISE_READS.map(
      (name) =>
        [fs.promises as unknown as Record<string, unknown>, name, `fs.promises.${name}`] as const,
    ),
  ];
  const saved = targets.map(([object, name]) => object[name]);
  for (const [object, name, label] of targets) {
    object[name] = (...args: unknown[]) => {
      reads.push(`${label}(${String(args[0])})`);
      throw new Error(`the fuzzer forbids ${label}`);
    };
  }
  syncBuiltinESMExports(); // so `import { readFileSync } from 'node:fs'` sees the traps too
  try {
    operation();
  } finally {
    targets.forEach(([object, name], i) => {
      object[name] = saved[i];
    });
    syncBuiltinESMExports();
  }
}

describe('fuzzing insertSE, insertSEResidual, findResidualBranches and extractSE', () => {
  it(`${RUNS} mutated models: typed errors or valid results, bounded time, inputs untouched, no file read`, () => {
    let typed = 0;
    let valid = 0;
    let slowest = 0;
    fc.assert(
      fc.property(
        fc.nat(seeds.length - 1),
        fc.array(mutationArbitrary, { maxLength: 4 }),
        fc.array(byteMutationArbitrary, { maxLength: 2 }),
        fc.constantFrom<Operation>(
          'insertSE',
          'insertSEResidual',
          'findResidualBranches',
          'extractSE',
        ),
        fc.nat(),
        fc.constantFrom(1, 3, 4, 6, 8, 16, 32),
        (seed, structure, bytewise, operation, pickTarget, channels) => {
          const bytes = mutateBytes(
            mutateStructure(seeds[seed] as Uint8Array, structure),
            bytewise,
          );
          const before = bytes.slice();
          const started = performance.now();
          try {
            withoutFileReads(() => run(operation, bytes, pickTarget, channels));
            valid++;
          } catch (error) {
            if (!(error instanceof SEError)) throw error;
            typed++;
          }
          const took = performance.now() - started;
          slowest = Math.max(slowest, took);
          expect(took, `${operation} took ${took.toFixed(0)} ms`).toBeLessThan(CALL_LIMIT_MS);
          // Buffer.compare: vitest's deep equality takes ~100 ms on a 157 KB array.
          expect(Buffer.compare(bytes, before), 'the input bytes were modified').toBe(0);
          expect(reads, 'a model made the package read a file').toEqual([]);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(
      `[fuzz] seed ${SEED}: ${RUNS} runs, ${valid} valid results, ${typed} typed errors, slowest call ${slowest.toFixed(1)} ms`,
    );
    expect(valid).toBeGreaterThan(RUNS / 10); // the mutations leave enough models intact to reach deep code
  });
});
