// A JSON parser for text from files we do not trust (a safetensors header, a
// spec stored in metadata). JSON.parse itself is iterative in V8 and would
// parse `[[[…]]]` 8 million deep, but everything after it (JSON.stringify,
// String(), any recursive check) overflows the stack on such a value, and
// JSON.parse keeps the last of two duplicate keys without a word. This parser
// is a loop over the text with an explicit stack: it refuses nesting beyond
// `maxDepth` the moment it is opened, refuses duplicate keys, and can refuse
// numbers that are not plain integer literals; each error carries the path of
// the offending value so the caller can name the field.

/** Where in the parsed value an error is: keys of objects, indices of arrays. */
export type JSONPath = readonly (string | number)[];

/** A text the bounded parser refused; `path` locates the value, `offset` the character. */
export class BoundedJSONError extends Error {
  override readonly name = 'BoundedJSONError';
  constructor(
    readonly reason: string,
    readonly path: JSONPath,
    readonly offset: number,
  ) {
    super(`${reason} (at character ${offset})`);
  }
}

export interface BoundedJSONOptions {
  /** How many arrays/objects may sit inside one another: 1 is a flat object or array. */
  readonly maxDepth: number;
  /**
   * Numbers must be non-negative integer literals, as a Rust `usize` reads
   * them: `4.0`, `4e0`, `-0` are refused (safetensors headers).
   */
  readonly unsignedIntegersOnly?: boolean;
}

type Container =
  | { readonly array: unknown[] }
  | { readonly object: Record<string, unknown>; key: string };

const LITERALS = [
  ['true', true],
  ['false', false],
  ['null', null],
] as const;
const UNSIGNED_INTEGER = /^(?:0|[1-9][0-9]*)$/;

/**
 * Parses `text` as JSON like JSON.parse, but iteratively and bounded (see the
 * file comment). Throws {@link BoundedJSONError}.
 */
export function parseBoundedJSON(text: string, options: BoundedJSONOptions): unknown {
  const stack: Container[] = [];
  let pos = 0;

  const pathHere = (): (string | number)[] =>
    stack.map((c) => ('array' in c ? c.array.length : c.key));
  const fail = (reason: string, at = pos): never => {
    throw new BoundedJSONError(reason, pathHere(), at);
  };
  const skipWhitespace = () => {
    for (;;) {
      const code = text.charCodeAt(pos);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return;
      pos++;
    }
  };
  const expectChar = (char: string, what: string) => {
    skipWhitespace();
    if (text[pos] !== char) fail(`expected ${what}, found ${describeChar(text, pos)}`);
    pos++;
  };

  const readString = (): string => {
    const start = pos;
    let escaped = false;
    pos++;
    for (;;) {
      if (pos >= text.length) fail('unterminated string', start);
      const code = text.charCodeAt(pos);
      if (code === 0x22) break;
      if (code === 0x5c) {
        escaped = true;
        pos += 2;
        continue;
      }
      if (code < 0x20) fail('a control character inside a string');
      pos++;
    }
    pos++;
    if (!escaped) return text.slice(start + 1, pos - 1);
    try {
      // Short and flat: JSON.parse only decodes the escapes here.
      return JSON.parse(text.slice(start, pos)) as string;
    } catch {
      return fail('an invalid escape in a string', start);
    }
  };

  const readNumber = (): number => {
    const start = pos;
    if (text[pos] === '-') pos++;
    const digits = () => {
      const from = pos;
      while (pos < text.length && text.charCodeAt(pos) >= 0x30 && text.charCodeAt(pos) <= 0x39)
        pos++;
      if (pos === from) fail('a digit');
    };
    digits();
    if (text[pos] === '.') {
      pos++;
      digits();
    }
    if (text[pos] === 'e' || text[pos] === 'E') {
      pos++;
      if (text[pos] === '+' || text[pos] === '-') pos++;
      digits();
    }
    const literal = text.slice(start, pos);
    if (!/^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/.test(literal)) {
      fail(`an invalid number ${literal.slice(0, 40)}`, start);
    }
    if (options.unsignedIntegersOnly && !UNSIGNED_INTEGER.test(literal)) {
      fail(
        `a number written ${literal.slice(0, 40)}: only non-negative integers written without sign, fraction or exponent are allowed here`,
        start,
      );
    }
    return Number(literal);
  };

  /** Reads one scalar, or opens a container (returning OPENED). */
  const OPENED = Symbol('opened');
  const readValue = (): unknown => {
    skipWhitespace();
    const char = text[pos];
    if (char === '{' || char === '[') {
      if (stack.length >= options.maxDepth)
        fail(`nesting deeper than ${options.maxDepth} level(s) of arrays and objects`);
      pos++;
      stack.push(char === '[' ? { array: [] } : { object: {}, key: '' });
      return OPENED;
    }
    if (char === '"') return readString();
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return readNumber();
    for (const [word, value] of LITERALS) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    return fail(`expected a value, found ${describeChar(text, pos)}`);
  };

  /** After `{` or `,` in an object: the next key, checked against the ones seen. */
  const readKey = (container: Extract<Container, { object: unknown }>) => {
    skipWhitespace();
    if (text[pos] !== '"') fail(`expected a key, found ${describeChar(text, pos)}`);
    const at = pos;
    const key = readString();
    container.key = key;
    // The object itself says whether the key was seen: no second structure to allocate.
    if (Object.hasOwn(container.object, key))
      fail(`the key ${JSON.stringify(key.slice(0, 80))} twice`, at);
    expectChar(':', '":"');
  };

  let value = readValue();
  for (;;) {
    const top = stack[stack.length - 1];
    if (top === undefined) break;
    if (value === OPENED) {
      // A container was just opened: it may close at once, else read its first member.
      skipWhitespace();
      const close = 'array' in top ? ']' : '}';
      if (text[pos] === close) {
        pos++;
        value = 'array' in top ? top.array : top.object;
        stack.pop();
        continue;
      }
      if ('object' in top) readKey(top);
      value = readValue();
      continue;
    }
    // A member value is complete: store it, then `,` or the closing bracket.
    if ('array' in top) top.array.push(value);
    else if (top.key === '__proto__') {
      // Plain assignment would set the prototype; JSON.parse makes an own property.
      Object.defineProperty(top.object, top.key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else top.object[top.key] = value;
    skipWhitespace();
    const close = 'array' in top ? ']' : '}';
    if (text[pos] === ',') {
      pos++;
      if ('object' in top) readKey(top);
      value = readValue();
    } else if (text[pos] === close) {
      pos++;
      value = 'array' in top ? top.array : top.object;
      stack.pop();
    } else {
      fail(`expected "," or "${close}", found ${describeChar(text, pos)}`);
    }
  }
  skipWhitespace();
  if (pos < text.length) fail(`unexpected ${describeChar(text, pos)} after the JSON value`);
  return value;
}

function describeChar(text: string, pos: number): string {
  return pos >= text.length ? 'the end of the text' : JSON.stringify(text.slice(pos, pos + 12));
}

/**
 * How deep JSON stored in a metadata string may nest: a spec is 2 levels, a
 * bundle's map of specs 3; 16 leaves room for later spec versions.
 */
export const MAX_METADATA_JSON_DEPTH = 16;

/**
 * JSON.parse for JSON stored in file metadata (`se.spec`, `se.blocks`):
 * bounded nesting, no duplicate keys. Throws {@link BoundedJSONError}, an
 * Error like JSON.parse's SyntaxError, so callers wrap it the same way.
 *
 * @example
 * ```ts
 * parseMetadataJSON('{"version":1}'); // { version: 1 }
 * ```
 */
export function parseMetadataJSON(text: string): unknown {
  return parseBoundedJSON(text, { maxDepth: MAX_METADATA_JSON_DEPTH });
}
