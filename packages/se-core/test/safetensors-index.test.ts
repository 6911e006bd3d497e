// readSafetensorsIndex: every dtype of the format listed, the container
// checked up front, values decoded per tensor on demand (as copies); the
// strict SE readers stay float-only.
import { describe, expect, it } from 'vitest';
import {
  decodeSafetensors,
  decodeSEWeights,
  importSEBlocks,
  MAX_HEADER_BYTES,
  readSafetensorsIndex,
  SAFETENSORS_DTYPES,
  SEImportError,
  SEWeightFormatError,
} from '../src/index.js';
import { bytesOf, fileWithHeader, type RawTensor, rawSafetensors, thrown } from './hostile.js';

const u8 = (...values: number[]) => Uint8Array.from(values);
const u16 = (...bits: number[]) => bytesOf(Uint16Array.from(bits));

/** Each dtype: a tensor, the array class decode() gives, and the values it must give. */
const EVERY_DTYPE: Record<string, [RawTensor, string, unknown[]]> = {
  BOOL: [{ dtype: 'BOOL', shape: [3], bytes: u8(0, 1, 1) }, 'Uint8Array', [0, 1, 1]],
  U8: [{ dtype: 'U8', shape: [2], bytes: u8(0, 255) }, 'Uint8Array', [0, 255]],
  I8: [{ dtype: 'I8', shape: [2], bytes: u8(0x80, 0x7f) }, 'Int8Array', [-128, 127]],
  I16: [
    { dtype: 'I16', shape: [2], bytes: bytesOf(Int16Array.of(-32768, 7)) },
    'Int16Array',
    [-32768, 7],
  ],
  U16: [{ dtype: 'U16', shape: [1], bytes: u16(65535) }, 'Uint16Array', [65535]],
  I32: [
    { dtype: 'I32', shape: [2], bytes: bytesOf(Int32Array.of(-2, 2 ** 31 - 1)) },
    'Int32Array',
    [-2, 2 ** 31 - 1],
  ],
  U32: [
    { dtype: 'U32', shape: [1], bytes: bytesOf(Uint32Array.of(2 ** 32 - 1)) },
    'Uint32Array',
    [2 ** 32 - 1],
  ],
  // 2^62 + 1 is not a float64: only a BigInt64Array keeps it.
  I64: [
    { dtype: 'I64', shape: [3], bytes: bytesOf(BigInt64Array.of(-1n, 2n ** 62n + 1n, 0n)) },
    'BigInt64Array',
    [-1n, 2n ** 62n + 1n, 0n],
  ],
  U64: [
    { dtype: 'U64', shape: [1], bytes: bytesOf(BigUint64Array.of(2n ** 64n - 1n)) },
    'BigUint64Array',
    [2n ** 64n - 1n],
  ],
  F16: [{ dtype: 'F16', shape: [2], bytes: u16(0x3c00, 0xc000) }, 'Float32Array', [1, -2]],
  BF16: [{ dtype: 'BF16', shape: [1], bytes: u16(0x3f80) }, 'Float32Array', [1]],
  F32: [
    { dtype: 'F32', shape: [1, 1], bytes: bytesOf(Float32Array.of(1.5)) },
    'Float32Array',
    [1.5],
  ],
  F64: [
    { dtype: 'F64', shape: [1], bytes: bytesOf(Float64Array.of(Math.PI)) },
    'Float64Array',
    [Math.PI],
  ],
  // E4M3fn: 1, the largest finite (448), NaN, the smallest subnormal.
  F8_E4M3: [
    { dtype: 'F8_E4M3', shape: [4], bytes: u8(0x38, 0x7e, 0x7f, 0x01) },
    'Float32Array',
    [1, 448, Number.NaN, 2 ** -9],
  ],
  // E5M2: 1, Infinity, NaN, the smallest subnormal.
  F8_E5M2: [
    { dtype: 'F8_E5M2', shape: [4], bytes: u8(0x3c, 0x7c, 0x7d, 0x01) },
    'Float32Array',
    [1, Number.POSITIVE_INFINITY, Number.NaN, 2 ** -16],
  ],
  F8_E8M0: [
    { dtype: 'F8_E8M0', shape: [3], bytes: u8(127, 0, 255) },
    'Float32Array',
    [1, 2 ** -127, Number.NaN],
  ],
};
const PACKED: Record<string, RawTensor> = {
  F4: { dtype: 'F4', shape: [2], bytes: u8(0x21) },
  F6_E2M3: { dtype: 'F6_E2M3', shape: [4], bytes: u8(1, 2, 3) },
  F6_E3M2: { dtype: 'F6_E3M2', shape: [2, 2], bytes: u8(1, 2, 3) },
};

describe('readSafetensorsIndex lists every dtype of the format', () => {
  const file = rawSafetensors({
    ...Object.fromEntries(Object.entries(EVERY_DTYPE).map(([d, [tensor]]) => [d, tensor])),
    ...PACKED,
  });
  const { tensors } = readSafetensorsIndex(file);

  it('covers SAFETENSORS_DTYPES, with shapes and offsets', () => {
    expect([...tensors.keys()].sort()).toEqual([...SAFETENSORS_DTYPES].sort());
    expect(tensors.get('I8')).toMatchObject({
      name: 'I8',
      dtype: 'I8',
      shape: [2],
      dataOffsets: [5, 7],
    });
  });

  it.each(Object.entries(EVERY_DTYPE))('%s decodes exactly', (name, [, arrayClass, values]) => {
    const decoded = tensors.get(name)?.decode();
    expect(decoded?.constructor.name).toBe(arrayClass);
    expect(Array.from(decoded as ArrayLike<unknown>)).toEqual(values);
  });

  it('lists packed F4 / F6 tensors but does not decode them', () => {
    for (const name of Object.keys(PACKED)) {
      const error = thrown(() => tensors.get(name)?.decode());
      expect(error).toBeInstanceOf(SEWeightFormatError);
      expect(error.message).toMatch(
        new RegExp(`tensor ${name}.dtype: ${name} values are packed below a byte`),
      );
    }
  });

  it('types decode() by dtype', () => {
    const entry = tensors.get('I64');
    if (entry?.dtype !== 'I64') throw new Error('no I64 entry');
    const steps: BigInt64Array = entry.decode(); // a compile error if the typing were loose
    expect(steps[1]).toBe(2n ** 62n + 1n);
  });
});

describe('the container is checked for every entry before any decode', () => {
  it.each([
    [
      'an unknown dtype',
      { a: { dtype: 'Q4_K', shape: [1], bytes: u8(1) } },
      /tensor a.dtype: expected one of BOOL, U8, .*received "Q4_K"/,
    ],
    [
      'a packed tensor that ends inside a byte',
      { a: { dtype: 'F4', shape: [3], bytes: u8(1, 2) } },
      /F4 \[3\] fills 12 bits, not whole bytes/,
    ],
    [
      'an I64 shape that disagrees with its offsets',
      { a: { dtype: 'I64', shape: [2], bytes: u8(1, 2, 3, 4, 5, 6, 7, 8) } },
      /I64 \[2\] needs more than 8 bytes/,
    ],
  ])('refuses %s', (_, raw, message) => {
    expect(() => readSafetensorsIndex(rawSafetensors(raw))).toThrow(message);
  });
});

describe('decoded values never alias the input, and the input is never modified', () => {
  it('decode() copies, every call', () => {
    const file = rawSafetensors({ steps: EVERY_DTYPE.I64?.[0] as RawTensor });
    const before = file.slice();
    const entry = readSafetensorsIndex(file).tensors.get('steps');
    if (entry?.dtype !== 'I64') throw new Error('no I64 entry');
    const first = entry.decode();
    expect(first.buffer).not.toBe(file.buffer);
    first[0] = 99n;
    expect(file).toEqual(before);
    expect(entry.decode()[0]).toBe(-1n);
  });

  it('decodes from a view at any byte offset (unaligned for the dtype)', () => {
    const file = rawSafetensors({
      x: { dtype: 'F64', shape: [1], bytes: bytesOf(Float64Array.of(2.5)) },
    });
    const shifted = new Uint8Array(file.length + 3);
    shifted.set(file, 3);
    expect(readSafetensorsIndex(shifted.subarray(3)).tensors.get('x')?.decode()).toEqual(
      Float64Array.of(2.5),
    );
  });
});

/** An SE block under timm names, plus the int64 BatchNorm counter a state_dict holds. */
function stateDict(extra: Record<string, RawTensor> = {}): Uint8Array {
  const f32 = (...v: number[]) => ({ dtype: 'F32', bytes: bytesOf(Float32Array.from(v)) });
  return rawSafetensors({
    'bn1.num_batches_tracked': { dtype: 'I64', shape: [], bytes: bytesOf(BigInt64Array.of(1234n)) },
    'layer1.0.se.fc1.weight': { ...f32(1, 2), shape: [1, 2, 1, 1] },
    'layer1.0.se.fc1.bias': { ...f32(0.5), shape: [1] },
    'layer1.0.se.fc2.weight': { ...f32(3, 4), shape: [2, 1, 1, 1] },
    'layer1.0.se.fc2.bias': { ...f32(-1, 1), shape: [2] },
    ...extra,
  });
}

describe('the importer reads real checkpoints through the index', () => {
  it('imports the SE blocks of a state_dict holding I64 tensors, reporting those as ignored', () => {
    const { blocks, report } = importSEBlocks(stateDict(), { preset: 'timm-seresnet' });
    expect([...blocks.keys()]).toEqual(['layer1.0.se']);
    expect(report.ignoredTensors).toEqual(['bn1.num_batches_tracked']);
  });

  it('never decodes a tensor it does not claim (an invalid BOOL is never looked at)', () => {
    const broken = { flags: { dtype: 'BOOL', shape: [2], bytes: u8(1, 7) } };
    const bytes = stateDict(broken);
    expect(() => readSafetensorsIndex(bytes).tensors.get('flags')?.decode()).toThrow(
      /tensor flags\[1\]: expected a BOOL byte 0 or 1, received 7/,
    );
    expect(importSEBlocks(bytes, { preset: 'timm-seresnet' }).report.ignoredTensors).toContain(
      'flags',
    );
  });

  it('refuses an SE weight stored as integers, naming the tensor', () => {
    const bytes = rawSafetensors({
      'se.fc1.weight': { dtype: 'I32', shape: [1, 2, 1, 1], bytes: bytesOf(Int32Array.of(1, 2)) },
      'se.fc2.weight': { dtype: 'F32', shape: [2, 1, 1, 1], bytes: bytesOf(Float32Array.of(1, 2)) },
    });
    const error = thrown(() => importSEBlocks(bytes, { preset: 'timm-seresnet' })) as SEImportError;
    expect(error).toBeInstanceOf(SEImportError);
    expect(error.field).toBe('tensor se.fc1.weight.dtype');
    expect(error.received).toBe('I32');
  });

  it('the strict SE readers still refuse any non-float dtype', () => {
    for (const decode of [decodeSafetensors, decodeSEWeights]) {
      expect(() => decode(stateDict())).toThrow(
        'tensor bn1.num_batches_tracked.dtype: expected one of F16, BF16, F32, F64, received "I64"',
      );
    }
  });
});

describe('a header as large as the cap allows', () => {
  it('lists ~60 000 tensors without recursion or argument-spread limits', () => {
    const entries: string[] = [];
    for (let i = 0; i < 60_000; i++)
      entries.push(`"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`);
    const header = `{${entries.join(',')}}`;
    expect(header.length).toBeLessThanOrEqual(MAX_HEADER_BYTES);
    expect(header.length).toBeGreaterThan(MAX_HEADER_BYTES * 0.75);
    expect(readSafetensorsIndex(fileWithHeader(header)).tensors.size).toBe(60_000);
  });
});

describe('a Node Buffer as input (what readFileSync returns)', () => {
  /** `file` inside a larger Node Buffer at an odd offset, as pooled Buffers are. */
  function inNodeBuffer(file: Uint8Array): Buffer {
    const pool = Buffer.alloc(file.length + 64, 0xff);
    pool.set(file, 13);
    return pool.subarray(13, 13 + file.length);
  }

  it('decodes the same values, into arrays of their own (Buffer#slice is a view)', () => {
    const file = rawSafetensors({
      f: { dtype: 'F32', shape: [2], bytes: bytesOf(Float32Array.of(1.5, -2)) },
      u: { dtype: 'U8', shape: [2], bytes: Uint8Array.of(7, 8) },
      b: { dtype: 'BOOL', shape: [1], bytes: Uint8Array.of(1) },
    });
    const buffer = inNodeBuffer(file);
    const strict = decodeSafetensors(
      inNodeBuffer(
        rawSafetensors({
          f: { dtype: 'F32', shape: [2], bytes: bytesOf(Float32Array.of(1.5, -2)) },
        }),
      ),
    );
    expect(strict.tensors.get('f')?.values).toEqual(Float32Array.of(1.5, -2));
    const { tensors } = readSafetensorsIndex(buffer);
    for (const [name, expected] of [
      ['f', Float32Array.of(1.5, -2)],
      ['u', Uint8Array.of(7, 8)],
      ['b', Uint8Array.of(1)],
    ] as const) {
      const values = tensors.get(name)?.decode() as ArrayLike<number> & ArrayBufferView;
      expect(values, name).toEqual(expected);
      expect(values.buffer, name).not.toBe(buffer.buffer);
      expect(Buffer.isBuffer(values), name).toBe(false);
    }
  });
});
