// A fuzzer kept as property tests: valid files of every kind, mutated at the
// byte level and at the JSON level (nesting, duplicate keys, odd numbers,
// BOMs, padding), fed to every reader. Each reader must return or throw a
// typed SEError, nothing else, and must never modify its input. Inputs stay
// under ~40 KB and each property stops after a time budget, so the suite stays
// fast; a failure prints fast-check's seed and path to replay it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeGoldenCase,
  decodeSafetensors,
  decodeSEBundle,
  decodeSEWeights,
  encodeSEBundle,
  encodeSEWeights,
  importSEBlocks,
  readSafetensorsIndex,
  SAFETENSORS_DTYPE_BITS,
  SEError,
} from '../src/index.js';
import { blockArbitrary, byteFlipsArbitrary, withByteFlips } from './arbitraries.js';
import { deepArray, fileWithHeader, rawSafetensors } from './hostile.js';

/** Every reader, as a user would call it on untrusted bytes. */
const READERS: Record<string, (bytes: Uint8Array) => unknown> = {
  decodeSafetensors,
  decodeSEWeights,
  decodeSEBundle,
  decodeGoldenCase,
  readSafetensorsIndex: (bytes) => {
    for (const entry of readSafetensorsIndex(bytes).tensors.values()) entry.decode();
  },
  importSEBlocks: (bytes) => importSEBlocks(bytes, { preset: 'timm-seresnet' }),
  importSEBlocksNoPreset: (bytes) => importSEBlocks(bytes),
};

/** The property: typed errors or results only, and the input unchanged. */
function onlyTypedOutcomes(bytes: Uint8Array): void {
  const before = bytes.slice();
  for (const [name, read] of Object.entries(READERS)) {
    try {
      read(bytes);
    } catch (error) {
      if (!(error instanceof SEError)) {
        throw new Error(`${name} threw ${(error as Error)?.name}: ${(error as Error)?.message}`);
      }
    }
  }
  // A plain loop: expect().toEqual walks a typed array element by element, slowly.
  if (!sameBytes(bytes, before)) throw new Error('a reader modified its input bytes');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

// Each property stops after this long even if its runs are not done (a slow CI machine).
const TIME_BUDGET_MS = 2000;
const settings = { numRuns: 300, interruptAfterTimeLimit: TIME_BUDGET_MS };

/** A raw tensor of any dtype with a small random shape and matching random bytes. */
const rawTensor = fc
  .record({
    dtype: fc.constantFrom(...Object.keys(SAFETENSORS_DTYPE_BITS)),
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
  })
  .chain(({ dtype, shape }) => {
    const bits = SAFETENSORS_DTYPE_BITS[dtype as keyof typeof SAFETENSORS_DTYPE_BITS];
    const count = shape.reduce((a, b) => a * b, 1);
    // Packed dtypes must fill whole bytes: pad the shape's last dimension if not.
    const whole = (count * bits) % 8 === 0 ? shape : [...shape, 8];
    const bytes = (whole.reduce((a, b) => a * b, 1) * bits) / 8;
    return fc
      .uint8Array({ minLength: bytes, maxLength: bytes })
      .map((data) => ({ dtype, shape: whole, bytes: data }));
  });

/** Valid files: SE weight files, bundles, and checkpoints of random dtypes and names. */
const validFile: fc.Arbitrary<Uint8Array> = fc.oneof(
  blockArbitrary().map((block) => encodeSEWeights(block)),
  blockArbitrary().map((block) => encodeSEBundle({ 'layer1.0.se': block, 'layer2.0.se': block })),
  fc
    .dictionary(
      fc.oneof(fc.constantFrom('se.fc1.weight', 'se.fc2.weight', 'se.fc1.bias'), fc.string()),
      rawTensor,
      { maxKeys: 6 },
    )
    .map((tensors) => rawSafetensors(tensors)),
);

/** The header text and data section of a file (or of garbage: a best effort). */
function split(bytes: Uint8Array): { header: string; data: Uint8Array } {
  const length =
    bytes.length >= 8
      ? Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true))
      : 0;
  const end = Math.min(8 + length, bytes.length);
  return { header: new TextDecoder().decode(bytes.subarray(8, end)), data: bytes.subarray(end) };
}

const ODD_NUMBERS = [
  '4.0',
  '1e400',
  '-1',
  '-0',
  '18446744073709551616',
  '9007199254740993',
  '01',
  '0x10',
  'NaN',
  '1e2',
];

/** A JSON-level edit of the header text: what a forger would write. */
const headerEdit: fc.Arbitrary<(header: string) => string> = fc.oneof(
  // Nesting, at a random place, from shallow to far past any recursion limit.
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 20_000 })).map(([at, depth]) => (h: string) => {
    const i = at % (h.length + 1);
    return `${h.slice(0, i)}${deepArray(depth)}${h.slice(i)}`;
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 20_000 })).map(
    ([at, depth]) =>
      (h: string) =>
        h.replace(/\[[^[\]]*\]/g, (m, offset: number) =>
          offset >= at % (h.length + 1) ? deepArray(depth) : m,
        ),
  ),
  // A duplicate of the first key, or of a key inside an entry.
  fc
    .constantFrom('"dtype"', '"shape"', '"data_offsets"', '"__metadata__"')
    .map((key) => (h: string) => h.replace(key, `${key}:0,${key}`)),
  fc.constant((h: string) => h.replace(/^\{("[^"]*"):/, '{$1:{},$1:')),
  // An odd number in place of a random integer.
  fc.tuple(fc.nat(), fc.constantFrom(...ODD_NUMBERS)).map(([at, odd]) => (h: string) => {
    let n = 0;
    return h.replace(/\d+/g, (m) => (n++ === at % 8 ? odd : m));
  }),
  // A dtype the format does not have, or another one.
  fc
    .constantFrom('"Q4_K"', '"F32 "', '"f32"', '"BOOL"', '"F4"', '""', '1', 'null')
    .map((dtype) => (h: string) => h.replace(/"dtype":"[^"]*"/, `"dtype":${dtype}`)),
  // Bytes around the JSON: a BOM, whitespace, NUL, a second value.
  fc.constantFrom('\ufeff', ' ', '\n', '\u0000').map((prefix) => (h: string) => prefix + h),
  fc
    .constantFrom('   ', '\n\t', '\u0000\u0000', '{}', ']', '"')
    .map((suffix) => (h: string) => h + suffix),
  // Random JSON-ish characters spliced in.
  fc
    .tuple(
      fc.nat(),
      fc.nat({ max: 8 }),
      fc.string({ unit: fc.constantFrom(...'{}[]",:-.eE0123456789 \\u'), maxLength: 6 }),
    )
    .map(([at, cut, text]) => (h: string) => {
      const i = at % (h.length + 1);
      return h.slice(0, i) + text + h.slice(i + cut);
    }),
);

describe('fuzz: every reader gives a result or a typed error, never anything else', () => {
  it('valid files of every kind read (or refuse) cleanly', () => {
    fc.assert(fc.property(validFile, onlyTypedOutcomes), settings);
  });

  it('byte flips anywhere, including the length prefix', () => {
    fc.assert(
      fc.property(validFile, byteFlipsArbitrary, (file, flips) =>
        onlyTypedOutcomes(withByteFlips(file, flips)),
      ),
      settings,
    );
  });

  it('truncation and extension', () => {
    fc.assert(
      fc.property(validFile, fc.integer({ min: -64, max: 64 }), (file, change) => {
        const length = Math.max(0, file.length + change);
        const bytes = new Uint8Array(length);
        bytes.set(file.subarray(0, length));
        onlyTypedOutcomes(bytes);
      }),
      settings,
    );
  });

  it('JSON-level header edits: nesting, duplicate keys, odd numbers, BOMs, padding', () => {
    fc.assert(
      fc.property(
        validFile,
        fc.array(headerEdit, { minLength: 1, maxLength: 3 }),
        (file, edits) => {
          const { header, data } = split(file);
          const edited = edits.reduce((h, edit) => edit(h), header);
          onlyTypedOutcomes(fileWithHeader(edited, data));
        },
      ),
      settings,
    );
  });

  it('reads from a view into a larger buffer (a Node Buffer too) without touching what lies around it', () => {
    fc.assert(
      fc.property(validFile, fc.nat({ max: 7 }), fc.boolean(), (file, offset, nodeBuffer) => {
        const backing = new Uint8Array(file.length + offset + 8).fill(0xa5);
        backing.set(file, offset);
        const before = backing.slice();
        // A Buffer's slice() is a view, not a copy: readers must not rely on slice() copying.
        const view = nodeBuffer
          ? Buffer.from(backing.buffer, offset, file.length)
          : backing.subarray(offset, offset + file.length);
        onlyTypedOutcomes(view);
        if (!sameBytes(backing, before)) throw new Error('a reader wrote around its view');
      }),
      settings,
    );
  });

  it('reads a tensor named "__proto__" as a tensor (fast-check generates such names)', () => {
    const bytes = new Uint8Array(new Float32Array([1.5]).buffer);
    // Object.fromEntries defines an own key; a literal `{ __proto__: … }` would set the prototype.
    const file = rawSafetensors(
      Object.fromEntries([['__proto__', { dtype: 'F32', shape: [1], bytes }]]),
    );
    const index = readSafetensorsIndex(file);
    expect([...index.tensors.keys()]).toEqual(['__proto__']);
    expect(Array.from(index.tensors.get('__proto__')?.decode() as Float32Array)).toEqual([1.5]);
  });

  it('decodes the same values from a plain copy and from a Node Buffer at an odd offset', () => {
    const decodeAll = (bytes: Uint8Array) =>
      [...readSafetensorsIndex(bytes).tensors.values()]
        .filter((entry) => !['F4', 'F6_E2M3', 'F6_E3M2', 'BOOL'].includes(entry.dtype))
        .map((entry) => {
          const values = entry.decode() as ArrayBufferView;
          // Compare the bytes: NaN payloads and -0 must agree too.
          return Array.from(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
        });
    fc.assert(
      fc.property(validFile, fc.nat({ max: 7 }), (file, offset) => {
        const pool = Buffer.alloc(file.length + offset, 0xa5);
        pool.set(file, offset);
        const fromBuffer = decodeAll(pool.subarray(offset));
        const fromCopy = decodeAll(Uint8Array.from(file));
        if (JSON.stringify(fromBuffer) !== JSON.stringify(fromCopy))
          throw new Error('a Node Buffer input decoded differently');
      }),
      settings,
    );
  });
});
