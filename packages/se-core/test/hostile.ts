// Builders of hostile safetensors files, shared by the reader's regression,
// leniency and fuzz tests. Headers are given as raw text so a test can write
// what JSON.stringify never would (duplicate keys, 4.0, a BOM, deep nesting).

/** `[[[…]]]` nested `depth` deep: 10 000 deep overflows any recursive walk. */
export function deepArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** The 8-byte little-endian length, the header bytes as given, then `data`. */
export function fileWithHeader(
  header: string | Uint8Array,
  data: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const text = typeof header === 'string' ? new TextEncoder().encode(header) : header;
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

/** A header text with the given metadata (values inserted as raw JSON) and no tensor. */
export function metadataHeader(entries: Record<string, string>): string {
  const members = Object.entries(entries).map(([k, raw]) => `${JSON.stringify(k)}:${raw}`);
  return `{"__metadata__":{${members.join(',')}}}`;
}

/** Runs `fn` and returns what it threw (failing the test when it returns). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, but the call returned');
}

/** One tensor as raw little-endian bytes, any dtype (the encoder writes floats only). */
export interface RawTensor {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

/** A valid safetensors file of raw tensors, in the given order, with optional metadata. */
export function rawSafetensors(
  tensors: Readonly<Record<string, RawTensor>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  // No prototype: fast-check generates names like "__proto__", which a plain object would take
  // as its prototype instead of a key (and the tensor would vanish from the header).
  const header: Record<string, unknown> = Object.create(null);
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, { dtype, shape, bytes }] of Object.entries(tensors)) {
    header[name] = { dtype, shape, data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
  }
  const data = new Uint8Array(offset);
  let at = 0;
  for (const { bytes } of Object.values(tensors)) {
    data.set(bytes, at);
    at += bytes.length;
  }
  return fileWithHeader(JSON.stringify(header), data);
}

/** The bytes of a typed array (little-endian on every host this suite runs on). */
export function bytesOf(values: ArrayBufferView): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
}
