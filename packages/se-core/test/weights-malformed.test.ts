import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeGoldenCase,
  decodeSafetensors,
  decodeSEBundle,
  decodeSEWeights,
  encodeSEBundle,
  encodeSEWeights,
  MAX_HEADER_BYTES,
  SEWeightFormatError,
} from '../src/index.js';
import { blockArbitrary, byteFlipsArbitrary, withByteFlips } from './arbitraries.js';

const decoders = { decodeSEWeights, decodeSEBundle, decodeGoldenCase, decodeSafetensors };

/** Runs every decoder; anything but success or SEWeightFormatError fails the property. */
function onlyFormatErrors(bytes: Uint8Array) {
  for (const [name, decode] of Object.entries(decoders)) {
    try {
      decode(bytes);
    } catch (error) {
      if (!(error instanceof SEWeightFormatError)) {
        throw new Error(
          `${name} threw ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`,
        );
      }
    }
  }
}

/** A header-length prefix plus a JSON header plus `data`. */
function forge(header: unknown, data = new Uint8Array(0), lengthOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function expectFormatError(bytes: Uint8Array, message: RegExp) {
  expect(() => decodeSafetensors(bytes)).toThrow(SEWeightFormatError);
  expect(() => decodeSafetensors(bytes)).toThrow(message);
}

const fileArbitrary = fc.oneof(
  blockArbitrary().map((block) => encodeSEWeights(block)),
  blockArbitrary().map((block) => encodeSEBundle({ 'layer1.0.se': block, 'layer2.0.se': block })),
);

describe('mutated, truncated and forged files only ever produce SEWeightFormatError', () => {
  it('random byte flips', () => {
    fc.assert(
      fc.property(fileArbitrary, byteFlipsArbitrary, (file, flips) =>
        onlyFormatErrors(withByteFlips(file, flips)),
      ),
      { numRuns: 500 },
    );
  });

  it('truncation at every length', () => {
    fc.assert(
      fc.property(
        fileArbitrary,
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (file, fraction) => {
          const cut = file.subarray(0, Math.floor(file.length * fraction));
          expect(() => decodeSEWeights(cut)).toThrow(SEWeightFormatError);
          onlyFormatErrors(cut);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random headers over random data', () => {
    const jsonish = fc.jsonValue({ maxDepth: 3 });
    const entry = fc.record({
      dtype: fc.oneof(fc.constantFrom('F16', 'BF16', 'F32', 'F64', 'I8', 'U64'), jsonish),
      shape: fc.oneof(fc.array(fc.integer({ min: -1, max: 2 ** 40 }), { maxLength: 5 }), jsonish),
      data_offsets: fc.oneof(
        fc.tuple(fc.integer({ min: -1, max: 64 }), fc.integer({ min: -1, max: 2 ** 53 })),
        jsonish,
      ),
    });
    const header = fc.dictionary(
      fc.oneof(fc.constantFrom('fc1.weight', 'fc2.weight', 'x', 'y', '__metadata__'), fc.string()),
      fc.oneof(entry, jsonish),
      { maxKeys: 5 },
    );
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 64 }), (h, data) =>
        onlyFormatErrors(forge(h, data)),
      ),
      { numRuns: 1000 },
    );
  });
});

describe('the reader is strict and cheap on hostile input', () => {
  it('refuses a forged header length before allocating anything', () => {
    // Claims an 8 GiB header in a 20-byte file: rejected from the 8-byte prefix alone.
    expectFormatError(
      forge({}, new Uint8Array(0), 8n * 2n ** 30n),
      /header length: expected at most/,
    );
    const huge = forge({}, new Uint8Array(0), BigInt(MAX_HEADER_BYTES + 1));
    expectFormatError(huge, /header length/);
  });

  it('refuses a shape whose byte size disagrees with its offsets (no giant allocation)', () => {
    expectFormatError(
      forge(
        { a: { dtype: 'F32', shape: [2 ** 30, 2 ** 30], data_offsets: [0, 4] } },
        new Uint8Array(4),
      ),
      /needs .* bytes/,
    );
  });

  it('refuses offsets past the end, overlaps and holes', () => {
    const data = new Uint8Array(16);
    expectFormatError(
      forge({ a: { dtype: 'F32', shape: [8], data_offsets: [0, 32] } }, data),
      /tensors cover 32 bytes but the data section holds 16/,
    );
    expectFormatError(
      forge(
        {
          a: { dtype: 'F32', shape: [3], data_offsets: [0, 12] },
          b: { dtype: 'F32', shape: [2], data_offsets: [8, 16] },
        },
        data,
      ),
      /overlaps/,
    );
    expectFormatError(
      forge(
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [1], data_offsets: [12, 16] },
        },
        data,
      ),
      /hole of 4 bytes/,
    );
  });

  it('refuses unsupported dtypes, non-string metadata and non-JSON headers', () => {
    expectFormatError(
      forge({ a: { dtype: 'I32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)),
      /dtype: expected one of F16, BF16, F32, F64, received "I32"/,
    );
    expectFormatError(forge({ __metadata__: { n: 1 } }), /__metadata__.n: expected a string/);
    const garbage = new Uint8Array(12);
    new DataView(garbage.buffer).setBigUint64(0, 4n, true);
    garbage.set([0x7b, 0x7b, 0x7b, 0xff], 8);
    expectFormatError(garbage, /header: expected UTF-8 JSON/);
  });

  it('names the SE-level problem: missing spec, wrong shape, stray tensor, non-finite value', () => {
    const [block] = fc.sample(blockArbitrary(false, 'mlp'), { numRuns: 1, seed: 3 });
    if (!block) throw new Error('no sample');
    const good = encodeSEWeights(block);
    const { tensors, metadata } = decodeSafetensors(good);
    const rebuild = (edit: (h: Record<string, unknown>) => void, values?: Float32Array) => {
      // Re-encode with a modified header: data kept as F32.
      const header: Record<string, unknown> = { __metadata__: { ...metadata } };
      let offset = 0;
      const parts: number[] = [];
      for (const [name, t] of tensors) {
        header[name] = {
          dtype: 'F32',
          shape: [...t.shape],
          data_offsets: [offset, offset + t.values.length * 4],
        };
        offset += t.values.length * 4;
        parts.push(...(name === 'fc1.weight' && values ? values : t.values));
      }
      edit(header);
      return forge(header, new Uint8Array(Float32Array.from(parts).buffer));
    };
    expect(() =>
      decodeSEWeights(rebuild((h) => delete (h.__metadata__ as Record<string, string>)['se.spec'])),
    ).toThrow(/se.spec: missing/);
    expect(() =>
      decodeSEWeights(
        rebuild(
          (h) =>
            ((h['fc1.weight'] as { shape: number[] }).shape = [
              (h['fc1.weight'] as { shape: number[] }).shape.reduce((a, b) => a * b),
            ]),
        ),
      ),
    ).toThrow(/fc1.weight.shape: expected \[\d+, \d+\] or \[\d+, \d+, 1, 1\]/);
    const nan = Float32Array.from(block.weights.fc1Weight as Float32Array);
    nan[0] = Number.NaN;
    expect(() => decodeSEWeights(rebuild(() => {}, nan))).toThrow(
      /fc1.weight\[0\]: expected a finite value, received NaN/,
    );
    const spec = JSON.parse(metadata['se.spec'] as string);
    expect(() =>
      decodeSEWeights(
        rebuild(
          (h) =>
            ((h.__metadata__ as Record<string, string>)['se.spec'] = JSON.stringify({
              ...spec,
              squeeze: 'mean',
            })),
        ),
      ),
    ).toThrow(/se.spec.squeeze: expected one of/);
  });

  it('accepts conv-shaped [out, in, 1, 1] weights, as PyTorch Conv2d stores them', () => {
    const [block] = fc.sample(blockArbitrary(false, 'mlp'), { numRuns: 1, seed: 11 });
    if (!block) throw new Error('no sample');
    const { tensors, metadata } = decodeSafetensors(encodeSEWeights(block));
    const header: Record<string, unknown> = { __metadata__: metadata };
    let offset = 0;
    const parts: number[] = [];
    for (const [name, t] of tensors) {
      const shape = name.endsWith('weight') ? [...t.shape, 1, 1] : [...t.shape];
      header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + t.values.length * 4] };
      offset += t.values.length * 4;
      parts.push(...t.values);
    }
    const decoded = decodeSEWeights(forge(header, new Uint8Array(Float32Array.from(parts).buffer)));
    expect(Array.from(decoded.weights.fc2Weight as Float32Array)).toEqual(
      Array.from(block.weights.fc2Weight as Float32Array),
    );
  });
});
