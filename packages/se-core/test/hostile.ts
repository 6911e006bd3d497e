// Builders of hostile safetensors files, shared by the reader's regression,
// leniency and fuzz tests. Headers are given as raw text so a test can write
// what JSON.stringify never would (duplicate keys, 4.0, a BOM, deep nesting).

/** `[[[…]]]` nested `depth` deep: 10 000 deep overflows any recursive walk. */
export function deepArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** The 8-byte little-endian length, the header bytes as given, then `data`. */
export function fileWithHeader(header: string | Uint8Array, data = new Uint8Array(0)): Uint8Array {
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
