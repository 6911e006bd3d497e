// Where the safetensors format leaves a choice, the reader decides as the
// format's own Rust reader does (README, "The weight format", gives each
// decision and why). One test per decision.
import { describe, expect, it } from 'vitest';
import {
  decodeSafetensors,
  decodeSEWeights,
  encodeSEWeights,
  SEWeightFormatError,
} from '../src/index.js';
import { TINY_BLOCK } from './arbitraries.js';
import { fileWithHeader, thrown } from './hostile.js';

const F32_ONE = new Uint8Array(new Float32Array([1]).buffer);
const tensor = (name: string, shape = '[1]', offsets = '[0,4]') =>
  `"${name}":{"dtype":"F32","shape":${shape},"data_offsets":${offsets}}`;

function refused(header: string | Uint8Array, field: string, message: RegExp, data = F32_ONE) {
  const error = thrown(() => decodeSafetensors(fileWithHeader(header, data)));
  expect(error, `${error.name}: ${error.message}`).toBeInstanceOf(SEWeightFormatError);
  expect((error as SEWeightFormatError).field).toBe(field);
  expect(error.message).toMatch(message);
}

describe('duplicate keys are refused (the format disallows them; JSON.parse keeps the last)', () => {
  it('two tensors of one name: the first would vanish silently', () => {
    const header = `{${tensor('a')},${tensor('a', '[1]', '[4,8]')}}`;
    refused(header, 'tensor a', /the key "a" twice/, new Uint8Array(8));
  });

  it('a field twice inside one entry', () => {
    refused(
      `{"a":{"dtype":"F16","dtype":"F32","shape":[1],"data_offsets":[0,4]}}`,
      'tensor a.dtype',
      /the key "dtype" twice/,
    );
  });

  it('a metadata key twice', () => {
    refused(
      `{"__metadata__":{"k":"1","k":"2"},${tensor('a')}}`,
      '__metadata__.k',
      /the key "k" twice/,
    );
  });
});

describe('the header must start with "{" (safetensors >= 0.4 refuses anything else)', () => {
  it('refuses a UTF-8 byte order mark, which TextDecoder would strip silently', () => {
    const text = new TextEncoder().encode(`{${tensor('a')}}`);
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...text]);
    refused(withBom, 'header', /expected "\{" as its first byte/);
  });

  it('refuses leading whitespace', () => {
    refused(` {${tensor('a')}}`, 'header', /expected "\{" as its first byte/);
  });
});

describe('shapes and offsets are integers written as integers (a usize for the Rust reader)', () => {
  it.each([
    ['4.0 in a shape', `{${tensor('a', '[1.0]')}}`, 'tensor a.shape', /written 1\.0/],
    [
      '4e0 in offsets',
      `{${tensor('a', '[1]', '[0,4e0]')}}`,
      'tensor a.data_offsets',
      /written 4e0/,
    ],
    ['-0 in a shape', `{${tensor('a', '[-0]', '[0,0]')}}`, 'tensor a.shape', /written -0/],
  ])('refuses %s', (_, header, field, message) => refused(header, field, message));
});

describe('accepted as the Rust reader accepts them', () => {
  it('trailing whitespace after the JSON: the format pads the header with spaces', () => {
    for (const padding of ['', ' ', '       ', ' \n\t\r ']) {
      const { tensors } = decodeSafetensors(fileWithHeader(`{${tensor('a')}}${padding}`, F32_ONE));
      expect(Array.from(tensors.get('a')?.values ?? [])).toEqual([1]);
    }
  });

  it('but not NUL padding or anything else after the JSON', () => {
    refused(`{${tensor('a')}}\u0000\u0000`, 'header', /after the JSON value/);
  });

  it('whitespace inside the JSON (a pretty-printed header)', () => {
    const header = `{\n  "a": { "dtype": "F32", "shape": [ 1 ], "data_offsets": [ 0, 4 ] }\n}`;
    expect(decodeSafetensors(fileWithHeader(header, F32_ONE)).tensors.get('a')?.shape).toEqual([1]);
  });

  it('a missing "format" metadata key: files from other tools never have it', () => {
    expect(decodeSafetensors(fileWithHeader(`{${tensor('a')}}`, F32_ONE)).metadata).toEqual({});
    const block = TINY_BLOCK;
    const bytes = encodeSEWeights(block);
    const text = new TextDecoder().decode(
      bytes.subarray(8, 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))),
    );
    // Same length (the header length stays right): blank the key out of the JSON.
    const withoutFormat = text.replace(
      '"format":"seblock/1",',
      ' '.repeat('"format":"seblock/1",'.length),
    );
    expect(withoutFormat).not.toContain('format');
    const edited = Uint8Array.from(bytes);
    edited.set(new TextEncoder().encode(withoutFormat), 8);
    expect(decodeSEWeights(edited)).toEqual(block);
  });

  it('extra fields in a tensor entry are ignored, as serde ignores them', () => {
    const header = `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"note":"x"}}`;
    expect(decodeSafetensors(fileWithHeader(header, F32_ONE)).tensors.has('a')).toBe(true);
  });
});
