import { describeShape, describeValue, SEWeightFormatError } from '../errors/index.js';
import { BoundedJSONError, type JSONPath, parseBoundedJSON } from './bounded-json.js';
import { SAFETENSORS_DTYPE_BITS, type SafetensorsDType } from './safetensors-dtypes.js';

// The container rules, checked before any tensor is decoded. Where the format
// leaves room, we follow what safetensors' own Rust reader does (the se-core
// README, "The weight format", lists each decision and why).

/**
 * Largest header read: 4 MiB. A real checkpoint's header is kilobytes (about
 * 100 bytes per tensor: SENet-154's ~1 000 tensors make ~100 KB). The cap
 * also bounds the work on a forged one: the largest header it admits (~70 000
 * tensors) is read in ~0.5 s and ~90 MB (Node 20, README "The weight format").
 * safetensors' Rust reader allows 100 MB.
 */
export const MAX_HEADER_BYTES = 4 * 1024 * 1024;
/** Root object → tensor entry → shape / data_offsets: nothing in a valid header is deeper. */
export const MAX_HEADER_DEPTH = 3;
export const METADATA_KEY = '__metadata__';

/** One tensor of the header, checked: its bytes are `data[begin, end)`. */
export interface HeaderEntry {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

export interface ParsedHeader {
  readonly entries: readonly HeaderEntry[];
  readonly metadata: Readonly<Record<string, string>>;
  /** Byte offset of the data section in the file. */
  readonly dataStart: number;
}

/** What one reader accepts beyond the format itself. */
export interface HeaderRules {
  readonly dtypes: readonly SafetensorsDType[];
  /** Most dimensions a shape may have; unbounded when absent. */
  readonly maxRank?: number;
}

function fail(field: string, message: string): never {
  throw new SEWeightFormatError(field, message);
}

/** The field a header JSON path belongs to: `tensor a.shape`, `__metadata__.key`, `header`. */
function fieldOf(path: JSONPath): string {
  const [name, member] = path;
  if (name === undefined) return 'header';
  const base = name === METADATA_KEY ? METADATA_KEY : `tensor ${name}`;
  // Only a named member (`shape`, a metadata key): an index says nothing more than the entry.
  return typeof member === 'string' ? `${base}.${member}` : base;
}

function headerText(bytes: Uint8Array, dataStart: number): string {
  try {
    // ignoreBOM keeps a BOM in the text, so the '{' check below refuses it.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
      bytes.subarray(8, dataStart),
    );
  } catch {
    return fail('header', 'expected UTF-8 JSON, received bytes that are not UTF-8');
  }
}

function parseHeaderJSON(text: string): Record<string, unknown> {
  if (text[0] !== '{') {
    fail(
      'header',
      `expected "{" as its first byte (no byte order mark, no leading whitespace), received ${describeValue(text.slice(0, 12))}`,
    );
  }
  try {
    return parseBoundedJSON(text, {
      maxDepth: MAX_HEADER_DEPTH,
      unsignedIntegersOnly: true,
    }) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof BoundedJSONError)) throw error;
    return fail(fieldOf(error.path), `expected valid safetensors JSON: ${error.message}`);
  }
}

function parseMetadata(raw: unknown): Record<string, string> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    fail(METADATA_KEY, `expected an object of strings, received ${describeValue(raw)}`);
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value !== 'string')
      fail(`${METADATA_KEY}.${key}`, `expected a string, received ${describeValue(value)}`);
    Object.defineProperty(metadata, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return metadata;
}

/**
 * What a tensor of `shape` needs, in words when it is not a byte count: more
 * than the `span` its offsets give (stopping before the product loses
 * precision), or a packed F4/F6 tensor that ends inside a byte.
 */
function byteSize(shape: readonly number[], bits: number, span: number): number | string {
  if (shape.includes(0)) return 0;
  let count = 1;
  for (const dim of shape) {
    count *= dim;
    if (count * bits > span * 8) return `needs more than ${span} bytes`;
  }
  if ((count * bits) % 8 !== 0) return `fills ${count * bits} bits, not whole bytes`;
  return (count * bits) / 8;
}

function parseEntry(name: string, raw: unknown, rules: HeaderRules): HeaderEntry {
  const field = `tensor ${name}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    fail(field, `expected { dtype, shape, data_offsets }, received ${describeValue(raw)}`);
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(rules.dtypes as readonly string[]).includes(dtype)) {
    fail(
      `${field}.dtype`,
      `expected one of ${rules.dtypes.join(', ')}, received ${describeValue(dtype)}`,
    );
  }
  const maxRank = rules.maxRank ?? Number.POSITIVE_INFINITY;
  if (
    !Array.isArray(shape) ||
    shape.length > maxRank ||
    !shape.every((d) => Number.isSafeInteger(d) && d >= 0)
  ) {
    const rank = Number.isFinite(maxRank) ? `up to ${maxRank}` : 'an array of';
    fail(
      `${field}.shape`,
      `expected ${rank} non-negative integers, received ${describeValue(shape)}`,
    );
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[0] > offsets[1]
  ) {
    fail(
      `${field}.data_offsets`,
      `expected [begin, end] integers, begin <= end, received ${describeValue(offsets)}`,
    );
  }
  const [begin, end] = offsets as [number, number];
  const bits = SAFETENSORS_DTYPE_BITS[dtype as SafetensorsDType];
  const expected = byteSize(shape as number[], bits, end - begin);
  if (expected !== end - begin) {
    const needs = typeof expected === 'string' ? expected : `needs ${expected} bytes`;
    fail(
      `${field}.data_offsets`,
      `${dtype} ${describeShape(shape as number[])} ${needs}, offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  return { name, dtype: dtype as SafetensorsDType, shape: shape as number[], begin, end };
}

/** Tensors must tile the data section: sorted by offset, no overlap, no hole, nothing after. */
function checkTiling(entries: readonly HeaderEntry[], dataLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const entry of sorted) {
    if (entry.begin < cursor)
      fail(
        `tensor ${entry.name}.data_offsets`,
        `overlaps the previous tensor (starts at ${entry.begin}, previous ends at ${cursor})`,
      );
    if (entry.begin > cursor)
      fail(
        `tensor ${entry.name}.data_offsets`,
        `leaves a hole of ${entry.begin - cursor} bytes before it`,
      );
    cursor = entry.end;
  }
  if (cursor !== dataLength) {
    // Fewer bytes than the tensors need is what an interrupted download looks like: say so.
    const hint = dataLength < cursor ? ' (a truncated file?)' : '';
    fail('data', `tensors cover ${cursor} bytes but the data section holds ${dataLength}${hint}`);
  }
}

/**
 * Reads and checks the header of safetensors `bytes`: bounded length, UTF-8
 * JSON starting with `{`, nesting at most {@link MAX_HEADER_DEPTH}, no
 * duplicate key, integer shapes and offsets, each tensor's byte size matching
 * its dtype and shape, tensors tiling the data. Decodes no tensor.
 * Every failure is a {@link SEWeightFormatError} naming the field.
 */
export function parseSafetensorsHeader(bytes: Uint8Array, rules: HeaderRules): ParsedHeader {
  if (!(bytes instanceof Uint8Array))
    fail('file', `expected a Uint8Array, received ${describeValue(bytes)}`);
  if (bytes.length < 8)
    fail('file', `expected at least 8 bytes (the header length), received ${bytes.length}`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  const cap = Math.min(MAX_HEADER_BYTES, bytes.length - 8);
  if (headerLength > BigInt(cap)) {
    fail(
      'header length',
      `expected at most ${cap} bytes (file size and ${MAX_HEADER_BYTES}-byte cap), received ${headerLength}`,
    );
  }
  const dataStart = 8 + Number(headerLength);
  const dataLength = bytes.length - dataStart;
  const header = parseHeaderJSON(headerText(bytes, dataStart));
  let metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  // for…in, not Object.entries: no [key, value] pair per tensor of a 100 000-tensor header.
  for (const name in header) {
    if (!Object.hasOwn(header, name)) continue;
    if (name === METADATA_KEY) metadata = parseMetadata(header[name]);
    else entries.push(parseEntry(name, header[name], rules));
  }
  checkTiling(entries, dataLength);
  return { entries, metadata, dataStart };
}
