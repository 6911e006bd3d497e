// Excerpts of values for error messages. The values come from hostile input
// (a forged file's header, a user's spec), so describing them must never fail
// and never cost more than the excerpt: no recursion (JSON.stringify and
// String() recurse and overflow the stack on `[[[…]]]` 10 000 deep), no walk
// over a whole array or object, nothing but plain property reads.

/** Containers deeper than this are shown as `[…]` / `{…}`; the excerpt is full long before. */
const MAX_DESCRIBED_DEPTH = 8;

type Frame =
  | { readonly kind: 'array'; readonly value: readonly unknown[]; index: number }
  | {
      readonly kind: 'object';
      readonly keys: Iterator<string>;
      readonly value: object;
      first: boolean;
    };

/** Text of a value that has no children, or undefined for arrays and plain objects. */
function leafText(value: unknown, inContainer: boolean): string | undefined {
  switch (typeof value) {
    case 'undefined':
      return inContainer ? 'null' : 'undefined';
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
      return String(value);
    case 'string':
      // Quote only the part that can show: a 16 MB string costs what the excerpt costs.
      return JSON.stringify(value.length > 200 ? value.slice(0, 200) : value);
    case 'symbol':
      return value.description === undefined ? 'a symbol' : `Symbol(${value.description})`;
    case 'function':
      return 'a function';
  }
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value)) {
    const length = (value as unknown as { length?: number }).length ?? value.byteLength;
    return `${value.constructor?.name ?? 'ArrayBufferView'}(${length})`;
  }
  if (value instanceof Map) return `Map(${value.size})`;
  if (value instanceof Set) return `Set(${value.size})`;
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof Error) return `${value.name}: ${value.message.slice(0, 200)}`;
  return undefined;
}

/** Own enumerable string keys, lazily: `for…in` would also walk the prototype chain. */
function* ownKeys(value: object): Generator<string> {
  for (const key in value) if (Object.hasOwn(value, key)) yield key;
}

/** Writes JSON-like text of `value` into `out` until it holds more than `budget` characters. */
function writeExcerpt(value: unknown, budget: number, out: string[]): void {
  let length = 0;
  const emit = (text: string) => {
    out.push(text);
    length += text.length;
  };
  const stack: Frame[] = [];
  const seen = new Set<object>();
  // Writes a leaf, or opens a container whose children the loop below writes.
  const visit = (item: unknown) => {
    const leaf = leafText(item, stack.length > 0);
    if (leaf !== undefined) return emit(leaf);
    const isArray = Array.isArray(item);
    if (stack.length >= MAX_DESCRIBED_DEPTH || seen.has(item as object)) {
      return emit(isArray ? '[…]' : '{…}');
    }
    seen.add(item as object);
    emit(isArray ? '[' : '{');
    stack.push(
      isArray
        ? { kind: 'array', value: item as unknown[], index: 0 }
        : { kind: 'object', keys: ownKeys(item as object), value: item as object, first: true },
    );
  };
  visit(value);
  while (stack.length > 0 && length <= budget) {
    const frame = stack[stack.length - 1] as Frame;
    if (frame.kind === 'array') {
      if (frame.index >= frame.value.length) {
        emit(']');
        seen.delete(stack.pop()?.value as object);
        continue;
      }
      if (frame.index > 0) emit(',');
      visit(frame.value[frame.index++]);
    } else {
      const next = frame.keys.next();
      if (next.done) {
        emit('}');
        seen.delete(stack.pop()?.value as object);
        continue;
      }
      if (!frame.first) emit(',');
      frame.first = false;
      emit(`${JSON.stringify(next.value.slice(0, 200))}:`);
      visit((frame.value as Record<string, unknown>)[next.value]);
    }
  }
}

/**
 * A short, printable excerpt of any value, for error messages: JSON-like text
 * cut to `maxLength` characters. Never the whole input, never throws, and
 * costs O(maxLength) whatever the value (deeply nested, huge, cyclic, a Proxy).
 *
 * @example
 * ```ts
 * describeValue({ channels: '64' }); // '{"channels":"64"}'
 * describeValue(JSON.parse('['.repeat(10_000) + ']'.repeat(10_000))); // '[[[[[[[[[…]]]]]]]]'
 * ```
 */
export function describeValue(value: unknown, maxLength = 60): string {
  let text: string;
  try {
    const parts: string[] = [];
    writeExcerpt(value, maxLength, parts);
    text = parts.join('');
  } catch {
    // A getter or Proxy trap threw while we looked: say what kind of thing it was.
    text = Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
  }
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/** Dimensions shown by {@link describeShape}; a longer shape ends in `…`. */
const MAX_DESCRIBED_DIMS = 16;

/**
 * `[2, 3, 4]` style shape text. Bounded like {@link describeValue}: at most
 * 16 dimensions are shown, and a dimension that is not a number shows as an excerpt.
 *
 * @example
 * ```ts
 * describeShape([64, 4, 1, 1]); // '[64, 4, 1, 1]'
 * ```
 */
export function describeShape(shape: readonly unknown[]): string {
  if (!Array.isArray(shape)) return describeValue(shape);
  const dims = shape
    .slice(0, MAX_DESCRIBED_DIMS)
    .map((d) => (typeof d === 'number' ? String(d) : describeValue(d, 20)));
  if (shape.length > MAX_DESCRIBED_DIMS) dims.push('…');
  return `[${dims.join(', ')}]`;
}
